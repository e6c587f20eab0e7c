package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * {@code nn.BatchNorm2d} (eps 1e-5, momentum 0.1): batch statistics and a running-average update
 * in training, the running statistics otherwise. The update is in place, so training a model is
 * never concurrent with using it.
 */
public final class BatchNormLayer extends StateBlock {
  private static final float EPS = 1e-5f;
  // DJL's PyTorch engine passes 1 - momentum to torch, so 0.9 here is torch's 0.1
  private static final float DJL_MOMENTUM = 0.9f;

  private final Parameter weight;
  private final Parameter bias;
  private final Parameter runningMean;
  private final Parameter runningVar;

  public BatchNormLayer(int channels) {
    this(channels, false);
  }

  /** With {@code zeroScale}, the scale starts at 0, as OpenAI does for each bottleneck's last BN. */
  public BatchNormLayer(int channels, boolean zeroScale) {
    Shape s = new Shape(channels);
    weight = param("weight", s, zeroScale ? Init.zeros() : Init.ones());
    bias = param("bias", s, Init.zeros());
    runningMean = buffer("running_mean", s, Init.zeros());
    runningVar = buffer("running_var", s, Init.ones());
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    // axis -1 is DJL's way of saying "torch's own channel axis (1)" without a transposed copy
    return x.getNDArrayInternal()
        .batchNorm(
            x,
            value(ps, runningMean, x, training),
            value(ps, runningVar, x, training),
            value(ps, weight, x, training),
            value(ps, bias, x, training),
            -1,
            DJL_MOMENTUM,
            EPS,
            training)
        .head();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {in[0]};
  }
}
