package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * CLIP's text tower: token and position embeddings, a causal pre-LN {@link Transformer},
 * {@code ln_final}, and {@code text_projection} of the features at each sequence's highest token
 * id (the end token). Its names are OpenAI's top-level ones ({@code token_embedding.weight},
 * {@code transformer.*}, ...), so the model adds it without a prefix.
 */
public final class TextTransformer extends StateBlock {
  private final int width;
  private final int outputDim;
  private final EmbeddingLayer tokenEmbedding;
  private final Parameter positionalEmbedding;
  private final Transformer transformer;
  private final LayerNormLayer lnFinal;
  private final Parameter textProjection;

  public TextTransformer(int contextLength, int vocabSize, int width, int layers, int heads, int outputDim) {
    this.width = width;
    this.outputDim = outputDim;
    tokenEmbedding = child("token_embedding", new EmbeddingLayer(vocabSize, width));
    positionalEmbedding = param("positional_embedding", new Shape(contextLength, width), Init.normal(0.01));
    transformer = child("transformer", new Transformer(width, layers, heads, true, true));
    lnFinal = child("ln_final", new LayerNormLayer(width));
    textProjection = param("text_projection", new Shape(width, outputDim), Init.normal(Math.pow(width, -0.5)));
  }

  /** {@code ids}: N × context token ids (int32 or int64), zero-padded after the end token. */
  @Override
  public NDArray forward(ParameterStore ps, NDArray ids, boolean training) {
    long n = ids.getShape().get(0);
    NDArray x = tokenEmbedding.forward(ps, ids, training).add(value(ps, positionalEmbedding, ids, training));
    x = lnFinal.forward(ps, transformer.forward(ps, x, training), training);
    // the causal mask makes the end token's features a summary of the whole caption
    NDArray end = ids.argMax(1).toType(DataType.INT64, false).reshape(n, 1, 1).broadcast(n, 1, width);
    return x.gather(end, 1).reshape(n, width).matMul(value(ps, textProjection, ids, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {new Shape(in[0].get(0), outputDim)};
  }
}
