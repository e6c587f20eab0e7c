package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/** {@code nn.Linear} on the last axis: {@code weight} (out, in) and {@code bias} (out). */
public final class LinearLayer extends StateBlock {
  private final int outFeatures;
  private final Parameter weight;
  private final Parameter bias;

  /** PyTorch's default initialisation. */
  public LinearLayer(int inFeatures, int outFeatures) {
    this(inFeatures, outFeatures, Init.torchDefault(), Init.uniform(1.0 / Math.sqrt(inFeatures)));
  }

  public LinearLayer(int inFeatures, int outFeatures, Init weightInit, Init biasInit) {
    this.outFeatures = outFeatures;
    weight = param("weight", new Shape(outFeatures, inFeatures), weightInit);
    bias = param("bias", new Shape(outFeatures), biasInit);
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training)).head();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {in[0].slice(0, in[0].dimension() - 1).add(outFeatures)};
  }
}
