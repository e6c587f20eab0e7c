package org.abdflow.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abdflow.model.nn.StateEntry;

/**
 * AdamW over named parameters with decoupled weight decay (w ← w − lr·wd·w, then the Adam step),
 * using libtorch's fused update through DJL. Decay is skipped for parameters of fewer than two
 * dimensions and names containing bn, ln, bias or logit_scale (CleanCLIP / open_clip's rule).
 * Moments live on their own manager, closed with the optimiser.
 */
final class AdamW implements AutoCloseable {
  private final List<Slot> slots = new ArrayList<>();
  private final NDManager manager;
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float weightDecay;
  private int step;

  AdamW(Map<String, StateEntry> parameters, NDManager parent, TrainingOptions o) {
    this.manager = parent.newSubManager();
    this.manager.setName("adamw-moments");
    this.beta1 = (float) o.beta1();
    this.beta2 = (float) o.beta2();
    this.eps = (float) o.eps();
    this.weightDecay = (float) o.weightDecay();
    for (Map.Entry<String, StateEntry> e : parameters.entrySet()) {
      StateEntry entry = e.getValue();
      if (!entry.trainable()) {
        continue;
      }
      NDArray w = entry.array();
      slots.add(new Slot(e.getKey(), w, manager.zeros(w.getShape()), manager.zeros(w.getShape()), decays(e.getKey(), w)));
    }
  }

  static boolean decays(String name, NDArray w) {
    return w.getShape().dimension() >= 2
        && !name.contains("bn")
        && !name.contains("ln")
        && !name.contains("bias")
        && !name.contains("logit_scale");
  }

  /**
   * One update of every parameter from its accumulated gradient, which is then zeroed. Gradient
   * handles are attached to {@code stepManager}.
   */
  void step(double learningRate, NDManager stepManager) {
    step++;
    float lr = (float) learningRate;
    float biasCorrected = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step)));
    for (Slot s : slots) {
      NDArray grad = s.weight.getGradient();
      if (grad == null) {
        continue;
      }
      grad.attach(stepManager);
      s.weight
          .getNDArrayInternal()
          .adamUpdate(
              new NDList(s.weight, grad, s.mean, s.variance),
              new NDList(s.weight),
              lr,
              biasCorrected,
              s.decay ? weightDecay : 0f,
              1f,
              -1f, // no clipping: the native code clips whenever this is >= 0
              beta1,
              beta2,
              eps,
              false,
              true);
      // libtorch accumulates into .grad across backward calls; the fused update does not reset it
      JniUtils.zeroGrad((PtNDArray) s.weight);
    }
  }

  /**
   * Whether every accumulated gradient is finite. One reduction over all of them, so a single value
   * crosses JNI; the partial results are attached to {@code stepManager}.
   */
  boolean gradientsFinite(NDManager stepManager) {
    NDList norms = new NDList();
    for (Slot s : slots) {
      NDArray grad = s.weight.getGradient();
      if (grad != null) {
        grad.attach(stepManager);
        // the sum is non-finite whenever one gradient is (inf, -inf or NaN); abs() cost an op per tensor
        norms.add(grad.sum());
      }
    }
    if (norms.isEmpty()) {
      return true;
    }
    NDArray total = NDArrays.stack(norms).sum();
    return Float.isFinite(total.getFloat());
  }

  /** Names of the parameters whose gradient has a non-finite value (for diagnostics; slow). */
  List<String> nonFiniteGradients(NDManager stepManager) {
    List<String> out = new ArrayList<>();
    for (Slot s : slots) {
      NDArray grad = s.weight.getGradient();
      if (grad != null) {
        grad.attach(stepManager);
        if (!Float.isFinite(grad.abs().sum().getFloat())) {
          out.add(s.name);
        }
      }
    }
    return out;
  }

  /** The optimiser steps taken so far (the bias correction depends on it). */
  int stepCount() {
    return step;
  }

  /** Both moments of every parameter, as {@code mean.NAME} and {@code variance.NAME}. */
  Map<String, NDArray> moments() {
    Map<String, NDArray> out = new java.util.LinkedHashMap<>();
    for (Slot s : slots) {
      out.put("mean." + s.name, s.mean);
      out.put("variance." + s.name, s.variance);
    }
    return out;
  }

  /** Puts back moments from {@link #moments()} and the step count, in place. */
  void restore(Map<String, NDArray> moments, int stepCount) {
    for (Slot s : slots) {
      NDArray m = moments.get("mean." + s.name);
      NDArray v = moments.get("variance." + s.name);
      if (m == null || v == null || !m.getShape().equals(s.mean.getShape()) || !v.getShape().equals(s.variance.getShape())) {
        throw new IllegalArgumentException("the saved optimiser state has no moments of shape " + s.mean.getShape() + " for " + s.name);
      }
      s.mean.muli(0).addi(m);
      s.variance.muli(0).addi(v);
    }
    this.step = stepCount;
  }

  /** Drops the accumulated gradients without an update. */
  void zeroGradients() {
    for (Slot s : slots) {
      JniUtils.zeroGrad((PtNDArray) s.weight);
    }
  }

  /** Names of the parameters that get weight decay (for reports and tests). */
  List<String> decayed() {
    List<String> out = new ArrayList<>();
    for (Slot s : slots) {
      if (s.decay) {
        out.add(s.name);
      }
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }

  private static final class Slot {
    final String name;
    final NDArray weight;
    final NDArray mean;
    final NDArray variance;
    final boolean decay;

    Slot(String name, NDArray weight, NDArray mean, NDArray variance, boolean decay) {
      this.name = name;
      this.weight = weight;
      this.mean = mean;
      this.variance = variance;
      this.decay = decay;
    }
  }
}
