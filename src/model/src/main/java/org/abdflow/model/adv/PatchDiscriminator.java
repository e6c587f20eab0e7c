package org.abdflow.model.adv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.model.nn.BatchNormLayer;
import org.abdflow.model.nn.StateBlock;

/**
 * AdvCLIP's discriminator ({@code Discriminator224}, PAPER.md §1.3.3) scaled by a {@link
 * PatchGanShape}: convolutions 3 → w → 2w → … (k4, s2, p1), BatchNorm on all but the first,
 * LeakyReLU(0.2) after each, then a convolution to one channel whose kernel covers the remaining
 * map, and a sigmoid: one probability per image that it is real. N(0, 0.02²) weights, zero bias;
 * names as AdvCLIP's ({@code hidden_layer.conv1.weight}, {@code hidden_layer.bn2.weight}, {@code
 * output_layer.out.weight}).
 */
public final class PatchDiscriminator extends StateBlock {
  private static final float LEAK = 0.2f;

  private final List<PatchConv2d> convs = new ArrayList<>();
  private final List<BatchNormLayer> norms = new ArrayList<>();
  private final PatchConv2d out;

  public PatchDiscriminator(PatchGanShape shape) {
    int in = 3;
    for (int i = 0; i < shape.layers(); i++) {
      int width = shape.discriminatorWidth(i);
      convs.add(child("hidden_layer.conv" + (i + 1), new PatchConv2d(in, width, PatchGanShape.KERNEL, 2, 1)));
      norms.add(i == 0 ? null : child("hidden_layer.bn" + (i + 1), new BatchNormLayer(width)));
      in = width;
    }
    out = child("output_layer.out", new PatchConv2d(in, 1, shape.discriminatorOutputKernel(), 1, 0));
  }

  /** P(real) per image, shape (N). */
  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return logits(ps, x, training).getNDArrayInternal().sigmoid();
  }

  /** The pre-sigmoid scores, shape (N): the losses take these, for a stable log-sigmoid. */
  public NDArray logits(ParameterStore ps, NDArray x, boolean training) {
    NDArray h = x;
    for (int i = 0; i < convs.size(); i++) {
      h = convs.get(i).forward(ps, h, training);
      if (norms.get(i) != null) {
        h = norms.get(i).forward(ps, h, training);
      }
      h = h.getNDArrayInternal().leakyRelu(LEAK);
    }
    NDArray y = out.forward(ps, h, training);
    return y.reshape(y.getShape().get(0));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {new Shape(in[0].get(0))};
  }
}
