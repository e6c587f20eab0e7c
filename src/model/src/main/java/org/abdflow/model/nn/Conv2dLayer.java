package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/** {@code nn.Conv2d} with square kernels: parameters {@code weight} (out, in, k, k) and optional {@code bias}. */
public final class Conv2dLayer extends StateBlock {
  private static final Shape NO_DILATION = new Shape(1, 1);

  private final int outChannels;
  private final int kernel;
  private final Shape stride;
  private final Shape padding;
  private final Parameter weight;
  private final Parameter bias;

  public Conv2dLayer(int inChannels, int outChannels, int kernel, int stride, int padding, boolean withBias) {
    this.outChannels = outChannels;
    this.kernel = kernel;
    this.stride = new Shape(stride, stride);
    this.padding = new Shape(padding, padding);
    Shape w = new Shape(outChannels, inChannels, kernel, kernel);
    weight = param("weight", w, Init.torchDefault());
    bias = withBias ? param("bias", new Shape(outChannels), Init.uniform(1.0 / Math.sqrt(Init.fanIn(w)))) : null;
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray b = bias == null ? null : value(ps, bias, x, training);
    return Conv2d.conv2d(x, value(ps, weight, x, training), b, stride, padding, NO_DILATION, 1).head();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    Shape s = in[0];
    long h = (s.get(2) + 2 * padding.get(0) - kernel) / stride.get(0) + 1;
    long w = (s.get(3) + 2 * padding.get(1) - kernel) / stride.get(1) + 1;
    return new Shape[] {new Shape(s.get(0), outChannels, h, w)};
  }
}
