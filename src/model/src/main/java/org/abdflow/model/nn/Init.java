package org.abdflow.model.nn;

import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * How a parameter's first values are drawn. Drawn in Java from a seeded {@link Random} so that a
 * seed gives the same weights on every engine, thread count and machine.
 */
@FunctionalInterface
public interface Init {

  /** {@code shape.size()} values for a parameter of that shape. */
  float[] sample(Random rnd, Shape shape);

  static Init constant(float value) {
    return (rnd, shape) -> {
      float[] v = new float[Math.toIntExact(shape.size())];
      if (value != 0f) {
        java.util.Arrays.fill(v, value);
      }
      return v;
    };
  }

  static Init zeros() {
    return constant(0f);
  }

  static Init ones() {
    return constant(1f);
  }

  /** N(0, std²). */
  static Init normal(double std) {
    return (rnd, shape) -> {
      float[] v = new float[Math.toIntExact(shape.size())];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rnd.nextGaussian() * std);
      }
      return v;
    };
  }

  /** U(-bound, bound). */
  static Init uniform(double bound) {
    return (rnd, shape) -> {
      float[] v = new float[Math.toIntExact(shape.size())];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
      }
      return v;
    };
  }

  /**
   * PyTorch's default for {@code nn.Linear}/{@code nn.Conv2d} weights (Kaiming-uniform with a =
   * √5), which comes down to U(±1/√fan_in) with fan_in = shape[1]·(kernel area).
   */
  static Init torchDefault() {
    return (rnd, shape) -> uniform(1.0 / Math.sqrt(fanIn(shape))).sample(rnd, shape);
  }

  /** Xavier-uniform, as {@code nn.MultiheadAttention} initialises its input projection. */
  static Init xavierUniform() {
    return (rnd, shape) -> {
      double fanIn = fanIn(shape);
      double fanOut = shape.get(0) * (fanIn / shape.get(1));
      return uniform(Math.sqrt(6.0 / (fanIn + fanOut))).sample(rnd, shape);
    };
  }

  /** fan-in of a weight of shape (out, in, k...). */
  static double fanIn(Shape shape) {
    double fan = shape.get(1);
    for (int i = 2; i < shape.dimension(); i++) {
      fan *= shape.get(i);
    }
    return fan;
  }
}
