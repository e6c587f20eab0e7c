package org.abdflow.model.adv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abdflow.model.nn.StateEntry;

/**
 * {@code torch.optim.Adam} without weight decay over a block's trainable parameters, through
 * libtorch's fused update as {@code org.abdflow.model.train.AdamW} does. Moments live on their own
 * manager, closed with the optimiser.
 */
final class Adam implements AutoCloseable {
  private static final float EPS = 1e-8f;

  private final List<NDArray[]> slots = new ArrayList<>();
  private final NDManager manager;
  private final float lr;
  private final float beta1;
  private final float beta2;
  private int step;

  Adam(Iterable<StateEntry> parameters, NDManager parent, double lr, double beta1, double beta2) {
    this.manager = parent.newSubManager();
    this.manager.setName("adam-moments");
    this.lr = (float) lr;
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    for (StateEntry e : parameters) {
      if (e.trainable()) {
        NDArray w = e.array();
        slots.add(new NDArray[] {w, manager.zeros(w.getShape()), manager.zeros(w.getShape())});
      }
    }
  }

  /** Both moments of every parameter, by position ({@code mean.I}, {@code variance.I}). */
  Map<String, NDArray> moments() {
    Map<String, NDArray> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < slots.size(); i++) {
      out.put("mean." + i, slots.get(i)[1]);
      out.put("variance." + i, slots.get(i)[2]);
    }
    return out;
  }

  int stepCount() {
    return step;
  }

  /** Puts back moments from {@link #moments()} and the step count, in place. */
  void restore(Map<String, NDArray> moments, int stepCount) {
    for (int i = 0; i < slots.size(); i++) {
      NDArray[] s = slots.get(i);
      NDArray m = moments.get("mean." + i);
      NDArray v = moments.get("variance." + i);
      if (m == null || v == null || !m.getShape().equals(s[1].getShape()) || !v.getShape().equals(s[2].getShape())) {
        throw new IllegalArgumentException("the saved Adam state has no moments of shape " + s[1].getShape() + " at " + i);
      }
      s[1].muli(0).addi(m);
      s[2].muli(0).addi(v);
    }
    this.step = stepCount;
  }

  /** The trainable parameters, in order. */
  List<NDArray> weights() {
    List<NDArray> out = new ArrayList<>(slots.size());
    for (NDArray[] s : slots) {
      out.add(s[0]);
    }
    return out;
  }

  /** Switches gradients on or off for every parameter. */
  void setRequiresGradient(boolean on) {
    for (NDArray[] s : slots) {
      s[0].setRequiresGradient(on);
    }
  }

  /**
   * One update of every parameter that has a gradient, which is then zeroed (libtorch accumulates
   * into {@code .grad}). Gradient handles are attached to {@code stepManager}.
   */
  void step(NDManager stepManager) {
    step++;
    float biasCorrected = (float) (lr * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step)));
    for (NDArray[] s : slots) {
      NDArray w = s[0];
      NDArray grad = w.getGradient();
      if (grad == null) {
        continue;
      }
      grad.attach(stepManager);
      w.getNDArrayInternal()
          .adamUpdate(new NDList(w, grad, s[1], s[2]), new NDList(w), lr, biasCorrected, 0f, 1f,
              -1f, // no clipping: the native code clips whenever this is >= 0
              beta1, beta2, EPS, false, true);
      JniUtils.zeroGrad((PtNDArray) w);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
