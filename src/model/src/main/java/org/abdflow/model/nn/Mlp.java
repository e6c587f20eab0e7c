package org.abdflow.model.nn;

import org.abdflow.api.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/** The transformer MLP: {@code c_fc} (width → 4·width), QuickGELU, {@code c_proj} back to width. */
public final class Mlp extends StateBlock {
  private final LinearLayer cFc;
  private final LinearLayer cProj;

  public Mlp(int width, Init fcInit, Init projInit) {
    cFc = child("c_fc", new LinearLayer(width, 4 * width, fcInit, Init.uniform(1.0 / Math.sqrt(width))));
    cProj = child("c_proj", new LinearLayer(4 * width, width, projInit, Init.uniform(1.0 / Math.sqrt(4.0 * width))));
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return cProj.forward(ps, quickGelu(cFc.forward(ps, x, training)), training);
  }

  /** x·σ(1.702·x), the GELU approximation CLIP was trained with. */
  static NDArray quickGelu(NDArray x) {
    return x.mul(Activation.sigmoid(Tensors.mul(x, 1.702)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {in[0]};
  }
}
