package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/** Average pooling as {@code nn.AvgPool2d(k)} (stride k, no padding). */
final class Pooling {
  private Pooling() {}

  static NDArray avgPool(NDArray x, int k) {
    if (k == 1) {
      return x;
    }
    Shape s = new Shape(k, k);
    return Pool.avgPool2d(x, s, s, new Shape(0, 0), false, true);
  }
}
