package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * CLIP's ViT image tower: patch convolution without bias, a class token, learned positions,
 * {@code ln_pre}, a bidirectional {@link Transformer}, {@code ln_post} on the class token and the
 * projection {@code proj} to the embedding width.
 */
public final class VisionTransformer extends StateBlock {
  private final int width;
  private final int outputDim;
  private final Conv2dLayer conv1;
  private final Parameter classEmbedding;
  private final Parameter positionalEmbedding;
  private final LayerNormLayer lnPre;
  private final Transformer transformer;
  private final LayerNormLayer lnPost;
  private final Parameter proj;

  public VisionTransformer(int inputResolution, int patchSize, int width, int layers, int heads, int outputDim) {
    this.width = width;
    this.outputDim = outputDim;
    int grid = inputResolution / patchSize;
    Init scaled = Init.normal(Math.pow(width, -0.5));
    conv1 = child("conv1", new Conv2dLayer(3, width, patchSize, patchSize, 0, false));
    classEmbedding = param("class_embedding", new Shape(width), scaled);
    positionalEmbedding = param("positional_embedding", new Shape((long) grid * grid + 1, width), scaled);
    lnPre = child("ln_pre", new LayerNormLayer(width));
    transformer = child("transformer", new Transformer(width, layers, heads, false, false));
    lnPost = child("ln_post", new LayerNormLayer(width));
    proj = param("proj", new Shape(width, outputDim), scaled);
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    long n = x.getShape().get(0);
    NDArray patches = conv1.forward(ps, x, training);
    long positions = patches.getShape().get(2) * patches.getShape().get(3);
    patches = patches.reshape(n, width, positions).transpose(0, 2, 1);
    NDArray cls = local(value(ps, classEmbedding, x, training).reshape(1, 1, width), x).broadcast(n, 1, width);
    NDArray tokens = NDArrays.concat(new NDList(cls, patches), 1).add(value(ps, positionalEmbedding, x, training));
    tokens = transformer.forward(ps, lnPre.forward(ps, tokens, training), training);
    NDArray pooled = lnPost.forward(ps, tokens.get(new NDIndex(":, 0, :")), training);
    return pooled.matMul(value(ps, proj, x, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {new Shape(in[0].get(0), outputDim)};
  }
}
