package org.abdflow.model.nn;

import org.abdflow.api.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Self-attention as {@code nn.MultiheadAttention} computes it (packed {@code in_proj_weight} /
 * {@code in_proj_bias}, {@code out_proj}), on batch-first input (N, L, width), written with
 * NDArray ops because DJL has no fused attention. With {@code causal}, position i sees 0..i only.
 */
public final class MultiheadAttention extends StateBlock {
  private static final Map<Integer, float[]> CAUSAL_MASKS = new ConcurrentHashMap<>();

  private final int width;
  private final int heads;
  private final boolean causal;
  private final Parameter inProjWeight;
  private final Parameter inProjBias;
  private final LinearLayer outProj;

  /** PyTorch's own initialisation (Xavier input projection, zero biases). */
  public MultiheadAttention(int width, int heads, boolean causal) {
    this(width, heads, causal, Init.xavierUniform(), Init.torchDefault());
  }

  public MultiheadAttention(int width, int heads, boolean causal, Init inProjInit, Init outProjInit) {
    if (width % heads != 0) {
      throw new IllegalArgumentException("width " + width + " does not split into " + heads + " heads");
    }
    this.width = width;
    this.heads = heads;
    this.causal = causal;
    inProjWeight = param("in_proj_weight", new Shape(3L * width, width), inProjInit);
    inProjBias = param("in_proj_bias", new Shape(3L * width), Init.zeros());
    outProj = child("out_proj", new LinearLayer(width, width, outProjInit, Init.zeros()));
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    long n = x.getShape().get(0);
    long len = x.getShape().get(1);
    NDArray qkv = Linear.linear(x, value(ps, inProjWeight, x, training), value(ps, inProjBias, x, training)).head();
    NDList parts = qkv.split(3, 2);
    NDArray q = Tensors.mul(splitHeads(parts.get(0), n, len), 1.0 / Math.sqrt(width / heads));
    NDArray k = splitHeads(parts.get(1), n, len);
    NDArray v = splitHeads(parts.get(2), n, len);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
    if (causal) {
      scores = scores.add(org.abdflow.api.HostTensors.of(x.getManager(), causalMask((int) len), new Shape(len, len)));
    }
    NDArray out = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(n, len, width);
    return outProj.forward(ps, out, training);
  }

  private NDArray splitHeads(NDArray t, long n, long len) {
    return t.reshape(n, len, heads, width / heads).transpose(0, 2, 1, 3);
  }

  /** Additive mask: 0 on and below the diagonal, -inf above (OpenAI's {@code build_attention_mask}). */
  static float[] causalMask(int len) {
    return CAUSAL_MASKS.computeIfAbsent(
        len,
        l -> {
          float[] m = new float[l * l];
          for (int i = 0; i < l; i++) {
            Arrays.fill(m, i * l + i + 1, (i + 1) * l, Float.NEGATIVE_INFINITY);
          }
          return m;
        });
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {in[0]};
  }
}
