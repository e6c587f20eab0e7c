package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/** {@code nn.Sequential}: children named 0, 1, ... applied in order. */
public final class Sequence extends StateBlock {
  private final List<StateBlock> layers = new ArrayList<>();

  public Sequence add(StateBlock block) {
    layers.add(child(Integer.toString(layers.size()), block));
    return this;
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    for (StateBlock b : layers) {
      x = b.forward(ps, x, training);
    }
    return x;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    Shape[] s = in;
    for (StateBlock b : layers) {
      s = b.getOutputShapes(s);
    }
    return s;
  }
}
