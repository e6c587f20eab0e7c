package org.abdflow.model.adv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * 2-D cross-correlation that steers around libtorch 2.7.1 CPU kernel bugs seen on this project's
 * AVX-512 machines for kernels larger than 1×1 ({@code ConvolutionReferenceTest} pins the shapes
 * used here against a plain-Java reference):
 *
 * <ul>
 *   <li>the forward value is wrong with more than 16 input channels whose count is not a multiple
 *       of 16 (e.g. the generator's 100-channel noise);
 *   <li>at stride 2 the input gradient is wrong with more than 16 input channels whose count is not
 *       a multiple of 32 (48, 80, 112 fail);
 *   <li>at stride 1 the input gradient is wrong (run to run different, sometimes NaN) when the
 *       output channel count is not a multiple of 16 (1, 3, 8, 20, 24 fail; {@code
 *       org.abdflow.model.nn.Conv2dLayer} covers the counts below 16).
 * </ul>
 *
 * Such a convolution runs with zero channels appended (input channels, on the input and the
 * weight, up to a multiple of 32; output channels, on the weight, up to a multiple of 16 and
 * sliced off the result): the same function and gradients, computed by kernels that are right.
 */
final class Convolutions {
  /** Input channel counts up to this, or multiples of {@link #SAFE_INPUT_MULTIPLE}, are computed right. */
  static final int SAFE_INPUT_CHANNELS = 16;

  static final int SAFE_INPUT_MULTIPLE = 32;

  /** Output channel counts that are multiples of this are computed right at stride 1. */
  static final int SAFE_OUTPUT_MULTIPLE = 16;

  private static final Shape NO_DILATION = new Shape(1, 1);

  private Convolutions() {}

  /**
   * {@code conv2d(x, w, b)} with square stride and padding; {@code w} is (out, in, kh, kw),
   * {@code b} may be null. The result and every intermediate belong to {@code x}'s manager.
   */
  static NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int padding) {
    Shape s = new Shape(stride, stride);
    Shape p = new Shape(padding, padding);
    Shape ws = w.getShape();
    long in = ws.get(1);
    long out = ws.get(0);
    long extraIn = extraInputChannels(ws);
    long extraOut = extraOutputChannels(ws, stride);
    if (extraIn == 0 && extraOut == 0) {
      return Conv2d.conv2d(x, w, b, s, p, NO_DILATION, 1).head();
    }
    NDArray input = x;
    NDArray weight = w;
    if (extraIn > 0) {
      Shape xs = x.getShape();
      input = x.concat(x.getManager().zeros(new Shape(xs.get(0), extraIn, xs.get(2), xs.get(3))), 1);
      weight = local(weight.concat(x.getManager().zeros(new Shape(out, extraIn, ws.get(2), ws.get(3))), 1), x);
    }
    if (extraOut > 0) {
      Shape zeros = new Shape(extraOut, in + extraIn, ws.get(2), ws.get(3));
      weight = local(weight.concat(x.getManager().zeros(zeros), 0), x);
    }
    NDArray y = Conv2d.conv2d(input, weight, null, s, p, NO_DILATION, 1).head();
    if (extraOut > 0) {
      y = y.get(new NDIndex(":, :" + out));
    }
    return b == null ? y : y.add(local(b.reshape(1, out, 1, 1), x));
  }

  /** Zero input channels a weight of this shape needs. */
  static long extraInputChannels(Shape weight) {
    long in = weight.get(1);
    return spatial(weight) && in > SAFE_INPUT_CHANNELS ? roundUp(in, SAFE_INPUT_MULTIPLE) - in : 0;
  }

  /** Zero output channels a weight of this shape needs at this stride. */
  static long extraOutputChannels(Shape weight, int stride) {
    long out = weight.get(0);
    return spatial(weight) && stride == 1 ? roundUp(out, SAFE_OUTPUT_MULTIPLE) - out : 0;
  }

  private static boolean spatial(Shape weight) {
    return weight.get(2) > 1 || weight.get(3) > 1;
  }

  private static long roundUp(long channels, int multiple) {
    return (channels + multiple - 1) / multiple * multiple;
  }

  /**
   * Moves an array derived from a parameter to {@code like}'s manager: an op's result belongs to
   * the manager of the array it was called on, and one left on the networks' manager would keep
   * its graph alive until training ends.
   */
  static NDArray local(NDArray derived, NDArray like) {
    if (derived.getManager() != like.getManager()) {
      derived.attach(like.getManager());
    }
    return derived;
  }
}
