package org.abdflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Thread-local control of libtorch's autograd, in place of DJL's {@code GradientCollector}, which
 * allows one collector per JVM: training stages and gradient-based attacks then run side by side on
 * different threads. libtorch's grad mode is per thread and on by default in threads DJL did not
 * start; wrap inference in {@link #disabled()} so no graph is recorded there.
 */
public final class Autograd implements AutoCloseable {
  private final boolean previous;

  private Autograd(boolean enable) {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(enable);
  }

  /** Records the graph on this thread until closed. */
  public static Autograd enabled() {
    return new Autograd(true);
  }

  /** Records nothing on this thread until closed. */
  public static Autograd disabled() {
    return new Autograd(false);
  }

  /**
   * Back-propagates a scalar: gradients accumulate into the {@code .grad} of every array that
   * requires one (read with {@link NDArray#getGradient()}, which returns a new handle on the
   * array's manager: attach it to a short-lived one).
   */
  public static void backward(NDArray scalar) {
    PtNDArray loss = (PtNDArray) scalar;
    try (PtNDArray seed = (PtNDArray) loss.getManager().ones(loss.getShape(), loss.getDataType())) {
      JniUtils.backward(loss, seed, false, false);
    }
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
