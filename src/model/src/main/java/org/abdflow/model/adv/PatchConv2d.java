package org.abdflow.model.adv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.abdflow.model.nn.Init;
import org.abdflow.model.nn.StateBlock;

/**
 * {@code nn.Conv2d} of the patch GAN: square kernel, {@code weight} (out, in, k, k) drawn from
 * N(0, 0.02²) and {@code bias} 0, as AdvCLIP initialises every layer of its generator and
 * discriminator. Channel counts that trip libtorch's kernel bugs go through {@link Convolutions}' workaround.
 */
public final class PatchConv2d extends StateBlock {
  /** DCGAN's weight standard deviation. */
  static final double INIT_STD = 0.02;

  private final int inChannels;
  private final int outChannels;
  private final int kernel;
  private final int stride;
  private final int padding;
  private final Parameter weight;
  private final Parameter bias;

  public PatchConv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    weight = param("weight", new Shape(outChannels, inChannels, kernel, kernel), Init.normal(INIT_STD));
    bias = param("bias", new Shape(outChannels), Init.zeros());
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = value(ps, weight, x, training);
    NDArray b = value(ps, bias, x, training);
    return Convolutions.conv2d(x, w, b, stride, padding);
  }

  /** Whether this layer runs with zero channels appended around the libtorch kernel bugs. */
  boolean padsChannels() {
    Shape w = new Shape(outChannels, inChannels, kernel, kernel);
    return Convolutions.extraInputChannels(w) > 0 || Convolutions.extraOutputChannels(w, stride) > 0;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    Shape s = in[0];
    long h = (s.get(2) + 2L * padding - kernel) / stride + 1;
    long w = (s.get(3) + 2L * padding - kernel) / stride + 1;
    return new Shape[] {new Shape(s.get(0), outChannels, h, w)};
  }
}
