package org.abdflow.model.nn;

import org.abdflow.api.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * CLIP's attention pooling: the mean of the feature map, prepended as a query token, attends over
 * all positions (with learned positional embeddings); {@code c_proj} maps to the embedding width.
 */
public final class AttentionPool2d extends StateBlock {
  private final int embedDim;
  private final int heads;
  private final int outputDim;
  private final Parameter positionalEmbedding;
  private final LinearLayer kProj;
  private final LinearLayer qProj;
  private final LinearLayer vProj;
  private final LinearLayer cProj;

  public AttentionPool2d(int spatialDim, int embedDim, int heads, int outputDim) {
    this.embedDim = embedDim;
    this.heads = heads;
    this.outputDim = outputDim;
    positionalEmbedding =
        param("positional_embedding", new Shape((long) spatialDim * spatialDim + 1, embedDim),
            Init.normal(1.0 / Math.sqrt(embedDim)));
    // OpenAI: N(0, in_features^-1/2) for all four projections; biases keep PyTorch's default
    Init std = Init.normal(Math.pow(embedDim, -0.5));
    Init bias = Init.uniform(1.0 / Math.sqrt(embedDim));
    kProj = child("k_proj", new LinearLayer(embedDim, embedDim, std, bias));
    qProj = child("q_proj", new LinearLayer(embedDim, embedDim, std, bias));
    vProj = child("v_proj", new LinearLayer(embedDim, embedDim, std, bias));
    cProj = child("c_proj", new LinearLayer(embedDim, outputDim, std, bias));
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    Shape s = x.getShape();
    long n = s.get(0);
    long len = s.get(2) * s.get(3) + 1;
    long headDim = embedDim / heads;
    NDArray tokens = x.reshape(n, embedDim, len - 1).transpose(0, 2, 1);
    tokens = NDArrays.concat(new NDList(tokens.mean(new int[] {1}, true), tokens), 1);
    tokens = tokens.add(value(ps, positionalEmbedding, x, training));
    NDArray q = qProj.forward(ps, tokens.get(new NDIndex(":, :1, :")), training)
        .reshape(n, 1, heads, headDim).transpose(0, 2, 1, 3);
    q = Tensors.mul(q, 1.0 / Math.sqrt(headDim));
    NDArray k = kProj.forward(ps, tokens, training).reshape(n, len, heads, headDim).transpose(0, 2, 3, 1);
    NDArray v = vProj.forward(ps, tokens, training).reshape(n, len, heads, headDim).transpose(0, 2, 1, 3);
    NDArray pooled = q.matMul(k).softmax(-1).matMul(v).reshape(n, embedDim);
    return cProj.forward(ps, pooled, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {new Shape(in[0].get(0), outputDim)};
  }
}
