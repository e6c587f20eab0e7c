package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** A stack of {@link ResidualAttentionBlock}s, named {@code resblocks.0}, {@code resblocks.1}, ... */
public final class Transformer extends StateBlock {
  private final Sequence resblocks;

  /**
   * @param scaledInit OpenAI's normal initialisation (text tower); otherwise PyTorch's defaults
   *     (the ViT tower, which OpenAI leaves at the defaults)
   */
  public Transformer(int width, int layers, int heads, boolean causal, boolean scaledInit) {
    ResidualAttentionBlock.TransformerInit init =
        scaledInit ? new ResidualAttentionBlock.TransformerInit(width, layers) : null;
    resblocks = child("resblocks", new Sequence());
    for (int i = 0; i < layers; i++) {
      resblocks.add(new ResidualAttentionBlock(width, heads, causal, init));
    }
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return resblocks.forward(ps, x, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {in[0]};
  }
}
