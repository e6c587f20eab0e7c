package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/**
 * {@code nn.Conv2d} with square kernels: parameters {@code weight} (out, in, k, k) and optional
 * {@code bias}.
 *
 * <p>libtorch 2.7.1's CPU kernel returns a wrong, run-to-run different and sometimes NaN input
 * gradient for k×k (k > 1), stride-1 convolutions with fewer than 16 output channels (e.g. the 8→8
 * stem convolution of {@code clip-tiny}); see {@code Conv2dLayerTest}. Such a layer convolves with
 * its weight zero-padded to 16 output channels and keeps the first ones: the same function and
 * gradients, computed by the kernel that is right.
 */
public final class Conv2dLayer extends StateBlock {
  private static final Shape NO_DILATION = new Shape(1, 1);
  /** Output channels below which the stride-1 kernel's input gradient is wrong (see above). */
  static final int SAFE_OUT_CHANNELS = 16;

  private final int inChannels;
  private final int outChannels;
  private final int kernel;
  private final Shape stride;
  private final Shape padding;
  private final Parameter weight;
  private final Parameter bias;

  public Conv2dLayer(int inChannels, int outChannels, int kernel, int stride, int padding, boolean withBias) {
    this.inChannels = inChannels;
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
    NDArray w = value(ps, weight, x, training);
    NDArray b = bias == null ? null : value(ps, bias, x, training);
    if (!padsOutput()) {
      return Conv2d.conv2d(x, w, b, stride, padding, NO_DILATION, 1).head();
    }
    NDArray zeros = x.getManager().zeros(new Shape(SAFE_OUT_CHANNELS - outChannels, inChannels, kernel, kernel));
    NDArray padded = local(w.concat(zeros, 0), x);
    NDArray y = Conv2d.conv2d(x, padded, null, stride, padding, NO_DILATION, 1).head();
    y = y.get(new NDIndex(":, :" + outChannels));
    return b == null ? y : y.add(local(b.reshape(1, outChannels, 1, 1), x));
  }

  /** Whether this layer takes the padded path around the libtorch kernel bug. */
  boolean padsOutput() {
    return kernel > 1 && stride.get(0) == 1 && outChannels < SAFE_OUT_CHANNELS;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    Shape s = in[0];
    long h = (s.get(2) + 2 * padding.get(0) - kernel) / stride.get(0) + 1;
    long w = (s.get(3) + 2 * padding.get(1) - kernel) / stride.get(1) + 1;
    return new Shape[] {new Shape(s.get(0), outChannels, h, w)};
  }
}
