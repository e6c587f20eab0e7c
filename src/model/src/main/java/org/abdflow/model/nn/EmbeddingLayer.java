package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;

/** {@code nn.Embedding}: a lookup table {@code weight} (vocab, width), N(0, 0.02²) as CLIP starts it. */
public final class EmbeddingLayer extends StateBlock {
  private final int width;
  private final Parameter weight;

  public EmbeddingLayer(int vocabSize, int width) {
    this.width = width;
    weight = param("weight", new Shape(vocabSize, width), Init.normal(0.02));
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray ids, boolean training) {
    return Embedding.embedding(ids, value(ps, weight, ids, training), SparseFormat.DENSE).head();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {in[0].add(width)};
  }
}
