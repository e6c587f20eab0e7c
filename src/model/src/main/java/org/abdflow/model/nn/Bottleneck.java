package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/**
 * OpenAI's anti-aliased ResNet bottleneck: 1×1, 3×3, then an average pool of the stride before the
 * expanding 1×1 (all convolutions have stride 1); the shortcut pools then projects.
 */
public final class Bottleneck extends StateBlock {
  static final int EXPANSION = 4;

  private final int stride;
  private final int outChannels;
  private final Conv2dLayer conv1;
  private final BatchNormLayer bn1;
  private final Conv2dLayer conv2;
  private final BatchNormLayer bn2;
  private final Conv2dLayer conv3;
  private final BatchNormLayer bn3;
  private final Downsample downsample;

  public Bottleneck(int inplanes, int planes, int stride) {
    this.stride = stride;
    this.outChannels = planes * EXPANSION;
    conv1 = child("conv1", new Conv2dLayer(inplanes, planes, 1, 1, 0, false));
    bn1 = child("bn1", new BatchNormLayer(planes));
    conv2 = child("conv2", new Conv2dLayer(planes, planes, 3, 1, 1, false));
    bn2 = child("bn2", new BatchNormLayer(planes));
    conv3 = child("conv3", new Conv2dLayer(planes, outChannels, 1, 1, 0, false));
    // zero scale: each block starts as the identity on its shortcut (OpenAI's initialize_parameters)
    bn3 = child("bn3", new BatchNormLayer(outChannels, true));
    downsample =
        stride > 1 || inplanes != outChannels
            ? child("downsample", new Downsample(inplanes, outChannels, stride))
            : null;
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray out = Activation.relu(bn1.forward(ps, conv1.forward(ps, x, training), training));
    out = Activation.relu(bn2.forward(ps, conv2.forward(ps, out, training), training));
    out = Pooling.avgPool(out, stride);
    out = bn3.forward(ps, conv3.forward(ps, out, training), training);
    NDArray identity = downsample == null ? x : downsample.forward(ps, x, training);
    return Activation.relu(out.add(identity));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    Shape s = in[0];
    return new Shape[] {new Shape(s.get(0), outChannels, s.get(2) / stride, s.get(3) / stride)};
  }

  /** The shortcut: {@code AvgPool2d(stride)} (OpenAI's key "-1", no parameters), 1×1 conv "0", BN "1". */
  static final class Downsample extends StateBlock {
    private final int stride;
    private final Conv2dLayer conv;
    private final BatchNormLayer bn;

    Downsample(int inplanes, int outChannels, int stride) {
      this.stride = stride;
      conv = child("0", new Conv2dLayer(inplanes, outChannels, 1, 1, 0, false));
      bn = child("1", new BatchNormLayer(outChannels));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
      return bn.forward(ps, conv.forward(ps, Pooling.avgPool(x, stride), training), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
      Shape s = in[0];
      return new Shape[] {new Shape(s.get(0), conv.getOutputShapes(in)[0].get(1), s.get(2) / stride, s.get(3) / stride)};
    }
  }
}
