package org.abdflow.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trainable weights re-seated as views of one contiguous buffer, with Adam's two moments laid out
 * the same way, so that an update is one fused Adam call per group over all its weights instead of
 * one per tensor (about a dozen libtorch ops each, for ~100 small tensors in clip-tiny).
 *
 * <p>Each weight keeps its Java object (its handle is swapped for the view with {@code intern}),
 * so models, listeners and checkpoints that hold it stay valid; libtorch keeps the buffer alive for
 * as long as a view of it exists, so the weights outlive this pack. Weights are laid out group by
 * group (for AdamW: the decayed ones, then the rest), each group one contiguous range, because the
 * fused update takes one weight decay; each weight starts on a 64-byte boundary, with zeros between.
 */
public final class ParameterPack implements AutoCloseable {
  private static final int ALIGN = 16; // floats: 64 bytes
  private final NDManager manager;
  private final List<NDArray> weights = new ArrayList<>();
  private final List<NDArray> means = new ArrayList<>();
  private final List<NDArray> variances = new ArrayList<>();
  private final long[] groupStart;
  private final NDArray[] groupWeights;
  private final NDArray[] groupMeans;
  private final NDArray[] groupVariances;
  private final boolean packed;
  /** Where each weight starts in the buffer, and its length, in floats. */
  private final long[] offsets;
  private final long[] sizes;
  private final Device device;
  private final Map<Long, NDArray> paddings = new HashMap<>();

  private ParameterPack(List<List<NDArray>> groups, NDManager parent) {
    this.manager = parent.newSubManager();
    this.manager.setName("packed-moments");
    List<NDArray> all = new ArrayList<>();
    groups.forEach(all::addAll);
    this.packed = !all.isEmpty() && all.stream().allMatch(w -> w instanceof PtNDArray && w.getDataType() == DataType.FLOAT32)
        && all.stream().map(NDArray::getDevice).distinct().count() == 1;
    sizes = all.stream().mapToLong(NDArray::size).toArray();
    offsets = new long[all.size()];
    device = all.isEmpty() ? null : all.get(0).getDevice();
    groupStart = new long[groups.size() + 1];
    groupWeights = new NDArray[groups.size()];
    groupMeans = new NDArray[groups.size()];
    groupVariances = new NDArray[groups.size()];
    if (!packed) {
      // another engine or dtype: plain per-tensor moments, updated one tensor at a time
      for (NDArray w : all) {
        weights.add(w);
        means.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
        variances.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
      }
      return;
    }
    // every weight starts on a 64-byte boundary, as libtorch allocates a lone tensor: BLAS and
    // oneDNN kernels may take another path (and summation order) for unaligned data
    long end = 0;
    int i = 0;
    for (int g = 0; g < groups.size(); g++) {
      end = align(end);
      groupStart[g] = end;
      for (NDArray w : groups.get(g)) {
        offsets[i++] = align(end);
        end = offsets[i - 1] + w.size();
      }
    }
    long total = align(end);
    groupStart[groups.size()] = total;
    NDArray flatWeights;
    try (NDManager scratch = manager.newSubManager()) {
      flatWeights = concat(k -> {
        NDArray f = all.get(k).reshape(-1);
        f.attach(scratch);
        return f;
      }, total);
      flatWeights.attach(manager);
    }
    NDArray flatMeans = manager.zeros(new Shape(total), DataType.FLOAT32, flatWeights.getDevice());
    NDArray flatVariances = manager.zeros(new Shape(total), DataType.FLOAT32, flatWeights.getDevice());
    for (int k = 0; k < all.size(); k++) {
      NDArray w = all.get(k);
      Shape shape = w.getShape();
      boolean grad = w.hasGradient();
      NDArray view = slice(flatWeights, offsets[k], w.size()).reshape(shape);
      ((PtNDArray) w).intern(view);
      if (grad) {
        w.setRequiresGradient(true);
      }
      weights.add(w);
      means.add(manage(slice(flatMeans, offsets[k], w.size()).reshape(shape)));
      variances.add(manage(slice(flatVariances, offsets[k], w.size()).reshape(shape)));
    }
    for (int g = 0; g < groups.size(); g++) {
      long n = groupStart[g + 1] - groupStart[g];
      groupWeights[g] = manage(slice(flatWeights, groupStart[g], n));
      groupMeans[g] = manage(slice(flatMeans, groupStart[g], n));
      groupVariances[g] = manage(slice(flatVariances, groupStart[g], n));
    }
  }

  private static long align(long floats) {
    return (floats + ALIGN - 1) / ALIGN * ALIGN;
  }

  /** The flat arrays {@code piece(k)} of every weight, at their offsets, zeros between them; {@code total} long. */
  private NDArray concat(java.util.function.IntFunction<NDArray> piece, long total) {
    List<PtNDArray> parts = new ArrayList<>();
    long end = 0;
    for (int k = 0; k < offsets.length; k++) {
      if (offsets[k] > end) {
        parts.add(padding(offsets[k] - end));
      }
      parts.add((PtNDArray) piece.apply(k));
      end = offsets[k] + sizes[k];
    }
    if (total > end) {
      parts.add(padding(total - end));
    }
    return JniUtils.cat(parts.toArray(new PtNDArray[0]), 0);
  }

  private PtNDArray padding(long length) {
    return (PtNDArray) paddings.computeIfAbsent(length, l -> manager.zeros(new Shape(l), DataType.FLOAT32, device));
  }

  /** Packs {@code groups} of weights, in order; moments and views live on a sub-manager of {@code parent}. */
  public static ParameterPack of(List<List<NDArray>> groups, NDManager parent) {
    return new ParameterPack(groups, parent);
  }

  private NDArray manage(NDArray a) {
    a.attach(manager);
    return a;
  }

  private static NDArray slice(NDArray flat, long start, long length) {
    return JniUtils.slice((PtNDArray) flat, 0, start, start + length, 1);
  }

  /** The weights, group by group. */
  public List<NDArray> weights() {
    return weights;
  }

  /** Where weight {@code i} starts in the buffer and in {@link #flatGradient}, in floats (a multiple of 16). */
  public long offset(int i) {
    return offsets[i];
  }

  /** Adam's first moment of weight {@code i}, a view into the packed moments. */
  public NDArray mean(int i) {
    return means.get(i);
  }

  /** Adam's second moment of weight {@code i}. */
  public NDArray variance(int i) {
    return variances.get(i);
  }

  /**
   * Every weight's gradient in one flat array laid out like the weights, attached to {@code sm};
   * null when the weights are not packed (the caller then updates tensor by tensor). A weight that
   * got no gradient contributes zeros, as DJL's {@code getGradient} gives for it.
   */
  public NDArray flatGradient(NDManager sm) {
    if (!packed) {
      return null;
    }
    try (NDManager scratch = sm.newSubManager()) {
      NDArray out = concat(k -> {
        NDArray g = weights.get(k).getGradient();
        g.attach(scratch);
        NDArray f = g.reshape(-1);
        f.attach(scratch);
        return f;
      }, groupStart[groupStart.length - 1]);
      out.attach(sm);
      return out;
    }
  }

  /**
   * One fused Adam(W) update of group {@code g} from its range of {@code flatGradient}; the same
   * arithmetic, element by element, as the per-tensor update.
   */
  public void adamUpdate(int g, NDArray flatGradient, NDManager sm, float lr, float lrBiasCorrected, float weightDecay,
      float beta1, float beta2, float eps) {
    long n = groupStart[g + 1] - groupStart[g];
    if (n == 0) {
      return;
    }
    NDArray grad = slice(flatGradient, groupStart[g], n);
    grad.attach(sm);
    adamUpdate(groupWeights[g], grad, groupMeans[g], groupVariances[g], lr, lrBiasCorrected, weightDecay, beta1, beta2, eps);
  }

  /** One fused Adam(W) update of one tensor and its moments (decoupled decay, no clipping). */
  public static void adamUpdate(NDArray weight, NDArray grad, NDArray mean, NDArray variance, float lr, float lrBiasCorrected,
      float weightDecay, float beta1, float beta2, float eps) {
    weight.getNDArrayInternal()
        .adamUpdate(
            new ai.djl.ndarray.NDList(weight, grad, mean, variance),
            new ai.djl.ndarray.NDList(weight),
            lr,
            lrBiasCorrected,
            weightDecay,
            1f,
            -1f, // no clipping: the native code clips whenever this is >= 0
            beta1,
            beta2,
            eps,
            false,
            true);
  }

  /** Zeroes every accumulated gradient (libtorch adds into {@code .grad} across backward calls). */
  public void zeroGradients() {
    for (NDArray w : weights) {
      if (w instanceof PtNDArray p) {
        JniUtils.zeroGrad(p);
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
