package org.abdflow.model.adv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.abdflow.model.nn.Init;
import org.abdflow.model.nn.StateBlock;

/**
 * {@code nn.ConvTranspose2d} of the patch GAN: square kernel, {@code weight} (in, out, k, k) drawn
 * from N(0, 0.02²), {@code bias} 0; output side (H−1)·stride − 2·padding + k + outputPadding.
 *
 * <p>DJL's PyTorch engine does not implement transposed convolution. Without overlapping taps it is
 * a matrix product (see {@link #spread}); otherwise {@code stride²} ordinary stride-1 convolutions,
 * one per output phase (the output pixels whose row and column have given remainders modulo the
 * stride), interleaved. Phase (a, b) only meets the kernel taps aligned with it, so the work equals
 * the transposed convolution's, without the stride² zeros of the dilate-then-convolve method. Each
 * phase's convolution goes through {@link Convolutions}' workaround for libtorch's kernel bugs.
 */
public final class PatchConvTranspose2d extends StateBlock {
  private final int outChannels;
  private final int kernel;
  private final int stride;
  private final int padding;
  private final int outputPadding;
  private final Parameter weight;
  private final Parameter bias;

  public PatchConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, int padding, int outputPadding) {
    if (kernel < 1 || stride < 1 || padding < 0 || outputPadding < 0 || outputPadding >= stride) {
      throw new IllegalArgumentException("bad transposed convolution k" + kernel + " s" + stride + " p" + padding
          + " op" + outputPadding + " (torch needs 0 <= outputPadding < stride)");
    }
    this.outChannels = outChannels;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.outputPadding = outputPadding;
    weight = param("weight", new Shape(inChannels, outChannels, kernel, kernel), Init.normal(PatchConv2d.INIT_STD));
    bias = param("bias", new Shape(outChannels), Init.zeros());
  }

  /** The output side for an input side. */
  public int outputSize(int inputSize) {
    return (inputSize - 1) * stride - 2 * padding + kernel + outputPadding;
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = value(ps, weight, x, training);
    NDArray b = value(ps, bias, x, training);
    int h = Math.toIntExact(x.getShape().get(2));
    int wd = Math.toIntExact(x.getShape().get(3));
    int hOut = outputSize(h);
    int wOut = outputSize(wd);
    if (stride >= kernel || (h == 1 && wd == 1)) {
      return spread(x, w, hOut, wOut).add(Convolutions.local(b.reshape(1, outChannels, 1, 1), x));
    }
    int rows = ceilDiv(hOut, stride);
    int cols = ceilDiv(wOut, stride);
    // flipped, a phase's taps are every stride-th entry from its first one
    NDArray flipped = Convolutions.local(w.flip(2, 3), x);
    NDList kernels = kernel % stride == 0 ? phaseKernels(flipped, kernel, stride, x) : null;
    NDList rowPhases = new NDList(stride);
    for (int a = 0; a < stride; a++) {
      Phase pr = new Phase(a, h, rows);
      NDList colPhases = new NDList(stride);
      for (int c = 0; c < stride; c++) {
        Phase pc = new Phase(c, wd, cols);
        NDArray k = kernels != null ? kernels.get(pr.first * stride + pc.first) : phaseKernel(flipped, pr, pc);
        colPhases.add(Convolutions.conv2d(window(x, pr, pc), k, null, 1, 0));
      }
      rowPhases.add(stride == 1 ? colPhases.head() : interleave(colPhases, 4, x));
    }
    NDArray y = stride == 1 ? rowPhases.head() : interleave(rowPhases, 3, x);
    if (rows * stride != hOut || cols * stride != wOut) {
      y = y.get(new NDIndex(":, :, :" + hOut + ", :" + wOut));
    }
    return y.add(Convolutions.local(b.reshape(1, outChannels, 1, 1), x));
  }

  /**
   * Without overlapping taps (stride ≥ kernel, or a 1×1 input such as the generator's noise), each
   * input pixel spreads over its own block of the output: one matrix product and a reshape, where
   * the phase convolutions would mostly multiply padding.
   */
  private NDArray spread(NDArray x, NDArray w, int hOut, int wOut) {
    long n = x.getShape().get(0);
    long in = x.getShape().get(1);
    long h = x.getShape().get(2);
    long wd = x.getShape().get(3);
    int block = Math.max(kernel, stride);
    NDArray flat = Convolutions.local(w.reshape(in, (long) outChannels * kernel * kernel), x);
    NDArray taps = x.transpose(0, 2, 3, 1).matMul(flat).reshape(n, h, wd, outChannels, kernel, kernel)
        .transpose(0, 3, 1, 4, 2, 5);
    if (block > kernel) {
      taps = taps.pad(new Shape(0, block - kernel, 0, 0, 0, block - kernel), 0);
    }
    NDArray full = taps.reshape(n, outChannels, h * block, wd * block);
    // output pixel o sits at o + padding of the uncropped map; past its end (output padding) it is zero
    long rowEnd = Math.min(h * block, padding + hOut);
    long colEnd = Math.min(wd * block, padding + wOut);
    NDArray y = full.get(new NDIndex(":, :, " + padding + ":" + rowEnd + ", " + padding + ":" + colEnd));
    long missingRows = padding + hOut - rowEnd;
    long missingCols = padding + wOut - colEnd;
    return missingRows == 0 && missingCols == 0 ? y : y.pad(new Shape(0, missingCols, 0, missingRows), 0);
  }

  /** A phase's (out, in, taps, taps) kernel: every stride-th tap of the flipped weight from the phase's first one. */
  private static NDArray phaseKernel(NDArray flipped, Phase r, Phase c) {
    return phaseKernel(flipped, r.slice(), c.slice());
  }

  static NDArray phaseKernel(NDArray flipped, String rows, String cols) {
    return flipped.get(new NDIndex(":, :, " + rows + ", " + cols)).transpose(1, 0, 2, 3);
  }

  /**
   * Every phase's kernel at once when each has kernel/stride taps per axis: entry (r·stride + c) is
   * the kernel of the taps whose row is r and column c modulo the stride, as {@link #phaseKernel}
   * gives it. One copy makes them all contiguous, and the gradient flows back through one
   * concatenation; strided slices cost a copy per convolution, another in its backward pass, and
   * a zero-filled weight-sized gradient per phase.
   */
  static NDList phaseKernels(NDArray flipped, int kernel, int stride, NDArray like) {
    Shape s = flipped.getShape();
    long in = s.get(0);
    long out = s.get(1);
    long t = kernel / stride;
    NDArray grouped = flipped.reshape(in, out, t, stride, t, stride).transpose(3, 5, 1, 0, 2, 4)
        .reshape((long) stride * stride * out, in, t, t);
    return Convolutions.local(grouped, like).split(stride * stride, 0);
  }

  /** The input rows and columns a phase reads: zero-padded where it overhangs, cropped where it falls short. */
  private static NDArray window(NDArray x, Phase r, Phase c) {
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    NDArray out = x;
    if (r.before < 0 || r.after < 0 || c.before < 0 || c.after < 0) {
      long top = Math.max(0, -r.before);
      long left = Math.max(0, -c.before);
      out = out.get(new NDIndex(":, :, " + top + ":" + (h - Math.max(0, -r.after)) + ", " + left + ":"
          + (w - Math.max(0, -c.after))));
    }
    if (r.before > 0 || r.after > 0 || c.before > 0 || c.after > 0) {
      out = out.pad(new Shape(Math.max(0, c.before), Math.max(0, c.after), Math.max(0, r.before),
          Math.max(0, r.after)), 0);
    }
    return out;
  }

  /** Stacks phases on a new axis after {@code axis} and merges the two: out[i·s + a] = phase_a[i]. */
  private NDArray interleave(NDList phases, int axis, NDArray like) {
    NDArray stacked = NDArrays.stack(phases, axis);
    Shape s = stacked.getShape();
    long[] dims = new long[s.dimension() - 1];
    for (int i = 0, j = 0; i < s.dimension(); i++) {
      if (i == axis) {
        dims[j - 1] *= s.get(i);
      } else {
        dims[j++] = s.get(i);
      }
    }
    return Convolutions.local(stacked.reshape(new Shape(dims)), like);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /**
   * One axis of one output phase: output index i·s + a takes input i + d for every tap ky with
   * (a + padding − ky) = d·s. Over the phase's {@code size} outputs that is a stride-1 correlation
   * with {@code taps} taps over the input padded by {@code before}/{@code after} (negative: cropped).
   */
  private final class Phase {
    final int taps;
    final int first;
    final int before;
    final int after;

    Phase(int a, int inputSize, int size) {
      int largest = -1;
      int count = 0;
      for (int ky = 0; ky < kernel; ky++) {
        if (Math.floorMod(a + padding - ky, stride) == 0) {
          largest = Math.max(largest, ky);
          count++;
        }
      }
      taps = count;
      first = kernel - 1 - largest;
      int dMin = Math.floorDiv(a + padding - largest, stride);
      before = -dMin;
      after = size + dMin + count - 1 - inputSize;
    }

    String slice() {
      return first + ":" + (first + (taps - 1) * stride + 1) + ":" + stride;
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    Shape s = in[0];
    return new Shape[] {
      new Shape(s.get(0), outChannels, outputSize((int) s.get(2)), outputSize((int) s.get(3)))
    };
  }
}
