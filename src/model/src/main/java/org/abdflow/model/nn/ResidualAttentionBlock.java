package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** A pre-LN transformer layer: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
public final class ResidualAttentionBlock extends StateBlock {
  private final MultiheadAttention attn;
  private final LayerNormLayer ln1;
  private final Mlp mlp;
  private final LayerNormLayer ln2;

  ResidualAttentionBlock(int width, int heads, boolean causal, TransformerInit init) {
    attn = child("attn", init == null
        ? new MultiheadAttention(width, heads, causal)
        : new MultiheadAttention(width, heads, causal, init.attn, init.proj));
    ln1 = child("ln_1", new LayerNormLayer(width));
    mlp = child("mlp", init == null
        ? new Mlp(width, Init.torchDefault(), Init.torchDefault())
        : new Mlp(width, init.fc, init.proj));
    ln2 = child("ln_2", new LayerNormLayer(width));
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    x = x.add(attn.forward(ps, ln1.forward(ps, x, training), training));
    return x.add(mlp.forward(ps, ln2.forward(ps, x, training), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {in[0]};
  }

  /** OpenAI's scaled normal initialisation of the text transformer's weights. */
  static final class TransformerInit {
    final Init attn;
    final Init proj;
    final Init fc;

    TransformerInit(int width, int layers) {
      attn = Init.normal(Math.pow(width, -0.5));
      proj = Init.normal(Math.pow(width, -0.5) * Math.pow(2.0 * layers, -0.5));
      fc = Init.normal(Math.pow(2.0 * width, -0.5));
    }
  }
}
