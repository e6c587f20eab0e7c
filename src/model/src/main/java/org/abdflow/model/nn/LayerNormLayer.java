package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;

/** {@code nn.LayerNorm} over the last axis (eps 1e-5): parameters {@code weight}, {@code bias}. */
public final class LayerNormLayer extends StateBlock {
  private static final float EPS = 1e-5f;

  private final Shape normalized;
  private final Parameter weight;
  private final Parameter bias;

  public LayerNormLayer(int width) {
    normalized = new Shape(width);
    weight = param("weight", normalized, Init.ones());
    bias = param("bias", normalized, Init.zeros());
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return LayerNorm.layerNorm(x, normalized, value(ps, weight, x, training), value(ps, bias, x, training), EPS)
        .head();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {in[0]};
  }
}
