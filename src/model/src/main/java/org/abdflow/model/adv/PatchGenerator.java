package org.abdflow.model.adv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.model.nn.BatchNormLayer;
import org.abdflow.model.nn.StateBlock;

/**
 * AdvCLIP's DCGAN-style generator ({@code Generator224}, PAPER.md §1.3.3) scaled by a {@link
 * PatchGanShape}: noise B×100×1×1 → transposed convolutions (k4; stride 1 then 2), each with
 * BatchNorm and ReLU → an output transposed convolution to 3 channels and R×R → tanh → the
 * "residual" collapse, a 3×3 convolution across the B outputs (the batch taken as channels) → one
 * 1×3×R×R map. State-dict names follow AdvCLIP's module ({@code hidden_layer.deconv1.weight},
 * {@code output_layer.out.bias}, {@code residual_layer.res.weight}, ...). Convolutions start at
 * N(0, 0.02²) with zero bias; BatchNorm at weight 1, bias 0 (PyTorch's default, which AdvCLIP
 * keeps).
 */
public final class PatchGenerator extends StateBlock {
  /** Channels of the noise. */
  public static final int NOISE_DIM = 100;

  private final PatchGanShape shape;
  private final int noiseBatch;
  private final List<PatchConvTranspose2d> deconvs = new ArrayList<>();
  private final List<BatchNormLayer> norms = new ArrayList<>();
  private final PatchConvTranspose2d out;
  private final PatchConv2d collapse;

  /** A generator for noise batches of {@code noiseBatch} (the collapse convolution's input channels). */
  public PatchGenerator(PatchGanShape shape, int noiseBatch) {
    this.shape = shape;
    this.noiseBatch = noiseBatch;
    int in = NOISE_DIM;
    for (int i = 0; i < shape.layers(); i++) {
      int width = shape.generatorWidth(i);
      deconvs.add(child("hidden_layer.deconv" + (i + 1), i == 0
          ? new PatchConvTranspose2d(in, width, PatchGanShape.KERNEL, 1, 0, 0)
          : new PatchConvTranspose2d(in, width, PatchGanShape.KERNEL, 2, 1, 0)));
      norms.add(child("hidden_layer.bn" + (i + 1), new BatchNormLayer(width)));
      in = width;
    }
    out = child("output_layer.out", new PatchConvTranspose2d(in, 3, PatchGanShape.KERNEL, shape.outputStride(),
        shape.outputPadding(), shape.outputExtra()));
    collapse = child("residual_layer.res", new PatchConv2d(noiseBatch, 1, 3, 1, 1));
    if (out.outputSize(shape.hiddenSide()) != shape.resolution()) {
      throw new IllegalStateException("output layer gives " + out.outputSize(shape.hiddenSide()) + " px, not "
          + shape.resolution());
    }
  }

  public PatchGanShape shape() {
    return shape;
  }

  public int noiseBatch() {
    return noiseBatch;
  }

  /**
   * The map 1×3×R×R from noise B×100×1×1. With {@code training}, BatchNorm normalises with the
   * noise batch's statistics (as AdvCLIP, whose generator never leaves train mode).
   */
  @Override
  public NDArray forward(ParameterStore ps, NDArray z, boolean training) {
    Shape s = z.getShape();
    if (s.dimension() != 4 || s.get(0) != noiseBatch || s.get(1) != NOISE_DIM || s.get(2) != 1 || s.get(3) != 1) {
      throw new IllegalArgumentException("noise must be " + noiseBatch + "x" + NOISE_DIM + "x1x1, got " + s);
    }
    NDArray h = z;
    for (int i = 0; i < deconvs.size(); i++) {
      h = Activation.relu(norms.get(i).forward(ps, deconvs.get(i).forward(ps, h, training), training));
    }
    NDArray maps = out.forward(ps, h, training).tanh();
    return collapse.forward(ps, maps.transpose(1, 0, 2, 3), training).transpose(1, 0, 2, 3);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {new Shape(1, 3, shape.resolution(), shape.resolution())};
  }
}
