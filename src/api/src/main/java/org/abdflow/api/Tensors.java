package org.abdflow.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar arithmetic that is safe under autograd. Use these instead of DJL's {@code NDArray.mul(Number)}
 * and {@code div(Number)} in anything that is differentiated (losses, model code).
 *
 * <p>Why: on the PyTorch engine those overloads wrap the number in a tensor that aliases a
 * Java-owned direct buffer, run the op, and close the wrapper at once. {@code mul} and {@code div}
 * keep that tensor for the backward pass, and once the garbage collector frees the buffer the
 * backward pass reads freed memory: gradients that change from run to run, now and then infinite.
 * Here the scalar is made by libtorch ({@code torch::full}), so the saved tensor owns its memory.
 */
public final class Tensors {
  private Tensors() {}

  /** {@code x · factor}, on {@code x}'s manager. */
  public static NDArray mul(NDArray x, double factor) {
    return x.mul(scalar(x, factor));
  }

  /** {@code x / divisor}, on {@code x}'s manager. */
  public static NDArray div(NDArray x, double divisor) {
    return x.div(scalar(x, divisor));
  }

  /** A 0-dimensional array of {@code x}'s type holding {@code value}, owned by libtorch, on {@code x}'s manager. */
  public static NDArray scalar(NDArray x, double value) {
    return x.getManager().full(new Shape(), (float) value, x.getDataType());
  }
}
