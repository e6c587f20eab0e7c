package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.abdflow.api.Seeds;

/**
 * A block of the CLIP model whose children and parameters carry the names of OpenAI's state dict
 * ({@code visual.layer1.0.conv1.weight}, {@code transformer.resblocks.0.attn.in_proj_weight}, ...),
 * so that {@link #stateDict()} maps one-to-one onto OpenAI's checkpoints. Every block of this
 * model takes one array and returns one.
 */
public abstract class StateBlock extends AbstractBlock {
  private final Map<String, StateBlock> namedChildren = new LinkedHashMap<>();
  private final Map<String, StateEntry> entries = new LinkedHashMap<>();

  /** The block's computation on one input. Results belong to {@code x}'s manager. */
  public abstract NDArray forward(ParameterStore ps, NDArray x, boolean training);

  /** Adds a child under its state-dict name; the empty name flattens it into this block's scope. */
  protected final <B extends StateBlock> B child(String name, B block) {
    addChildBlock(name.isEmpty() ? "_" : name, block);
    namedChildren.put(name, block);
    return block;
  }

  /** A trainable parameter. */
  protected final Parameter param(String name, Shape shape, Init init) {
    return add(name, shape, init, true);
  }

  /** A non-trainable state array (BatchNorm's running statistics). */
  protected final Parameter buffer(String name, Shape shape, Init init) {
    return add(name, shape, init, false);
  }

  private Parameter add(String name, Shape shape, Init init, boolean trainable) {
    // no shape on the Parameter itself: arrays are set once, with setArray, by initialize or load
    Parameter p =
        Parameter.builder()
            .setName(name)
            .setType(trainable ? Parameter.Type.WEIGHT : Parameter.Type.RUNNING_MEAN)
            .optRequiresGrad(trainable)
            .build();
    addParameter(p);
    entries.put(name, new StateEntry(p, shape, init, trainable));
    return p;
  }

  /** Every parameter and buffer of this subtree by its dotted state-dict name, in a fixed order. */
  public final Map<String, StateEntry> stateDict() {
    Map<String, StateEntry> out = new LinkedHashMap<>();
    collect("", out);
    return Collections.unmodifiableMap(out);
  }

  private void collect(String prefix, Map<String, StateEntry> out) {
    for (Map.Entry<String, StateEntry> e : entries.entrySet()) {
      out.put(prefix + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, StateBlock> c : namedChildren.entrySet()) {
      c.getValue().collect(c.getKey().isEmpty() ? prefix : prefix + c.getKey() + ".", out);
    }
  }

  /**
   * Draws every parameter of this subtree on {@code manager}. Each parameter gets its own random
   * stream from (seed, name), so values do not depend on traversal order or on other parameters.
   */
  public final void initialize(NDManager manager, long seed) {
    for (Map.Entry<String, StateEntry> e : stateDict().entrySet()) {
      StateEntry entry = e.getValue();
      Random rnd = new Random(Seeds.forStage(seed, "param:" + e.getKey()));
      entry.assign(manager.create(entry.init().sample(rnd, entry.shape()), entry.shape()));
    }
  }

  /** DJL's entry point: the same as {@link #initialize(NDManager, long)} with seed 0. */
  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    if (dataType != DataType.FLOAT32) {
      throw new UnsupportedOperationException("CLIP blocks are float32");
    }
    initialize(manager, 0L);
  }

  @Override
  public boolean isInitialized() {
    for (StateEntry e : stateDict().values()) {
      if (!e.parameter().isInitialized()) {
        return false;
      }
    }
    return true;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.singletonOrThrow(), training));
  }

  /** The value of one of this block's parameters on {@code like}'s device. */
  protected static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
    return ps.getValue(p, like.getDevice(), training);
  }

  /**
   * Moves an array computed from parameters alone to {@code like}'s manager: an op's result belongs
   * to the manager of the array it was called on, and a result left on the model's manager would
   * keep its autograd graph alive for the model's lifetime.
   */
  protected static NDArray local(NDArray derived, NDArray like) {
    derived.attach(like.getManager());
    return derived;
  }
}
