package org.abdflow.model.adv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** Per-channel bounds of the perturbation P, in normalised image space. */
public record PatchClamp(List<Float> low, List<Float> high) {
  /** AdvCLIP's bounds, from ImageNet's mean and std: [(0−0.485)/0.229, (1−0.406)/0.225] on every channel. */
  public static final float ADVCLIP_LOW = (0f - 0.485f) / 0.229f;

  public static final float ADVCLIP_HIGH = (1f - 0.406f) / 0.225f;

  public PatchClamp {
    low = List.copyOf(low);
    high = List.copyOf(high);
    if (low.size() != 3 || high.size() != 3) {
      throw new IllegalArgumentException("clamp bounds need three channels");
    }
    for (int c = 0; c < 3; c++) {
      if (!(low.get(c) < high.get(c))) {
        throw new IllegalArgumentException("empty clamp range on channel " + c + ": " + low + " .. " + high);
      }
    }
  }

  /** The bounds of a mode for a model normalising with {@code mean} and {@code std}. */
  public static PatchClamp of(AdvPatchOptions.ClampMode mode, List<Float> mean, List<Float> std) {
    if (mode == AdvPatchOptions.ClampMode.ADVCLIP) {
      return new PatchClamp(List.of(ADVCLIP_LOW, ADVCLIP_LOW, ADVCLIP_LOW), List.of(ADVCLIP_HIGH, ADVCLIP_HIGH,
          ADVCLIP_HIGH));
    }
    Float[] lo = new Float[3];
    Float[] hi = new Float[3];
    for (int c = 0; c < 3; c++) {
      lo[c] = (0f - mean.get(c)) / std.get(c);
      hi[c] = (1f - mean.get(c)) / std.get(c);
    }
    return new PatchClamp(List.of(lo), List.of(hi));
  }

  /** {@code p} (…×3×H×W) clamped channel by channel, on p's manager; the gradient passes inside the range. */
  public NDArray apply(NDArray p) {
    Shape s = new Shape(1, 3, 1, 1);
    NDArray lo = p.getManager().create(toArray(low), s);
    NDArray hi = p.getManager().create(toArray(high), s);
    return p.maximum(lo).minimum(hi);
  }

  private static float[] toArray(List<Float> v) {
    return new float[] {v.get(0), v.get(1), v.get(2)};
  }
}
