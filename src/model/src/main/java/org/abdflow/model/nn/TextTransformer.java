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

  /**
   * {@code ids}: N × context token ids (int32 or int64), zero-padded after the end token. Only the
   * positions up to the batch's last end token are computed: under the causal mask nothing after a
   * text's end token reaches its features, so the result (and its gradient) is the full context's,
   * for a fraction of the work on short captions.
   */
  @Override
  public NDArray forward(ParameterStore ps, NDArray given, boolean training) {
    long n = given.getShape().get(0);
    long context = given.getShape().get(1);
    NDArray endAt = given.argMax(1).toType(DataType.INT64, false);
    long used = endAt.max().getLong() + 1;
    NDArray ids = used < context ? given.get(":, :" + used) : given;
    NDArray pos = value(ps, positionalEmbedding, ids, training);
    if (used < context) {
      // a slice of a parameter lands on the model's manager: hand it to the batch's
      pos = pos.get(":" + used);
      pos.attach(given.getManager());
    }
    NDArray x = tokenEmbedding.forward(ps, ids, training).add(pos);
    x = lnFinal.forward(ps, transformer.forward(ps, x, training), training);
    // the causal mask makes the end token's features a summary of the whole caption
    NDArray end = endAt.reshape(n, 1, 1).broadcast(n, 1, width);
    return x.gather(end, 1).reshape(n, width).matMul(value(ps, textProjection, ids, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {new Shape(in[0].get(0), outputDim)};
  }
}
