package org.abdflow.model.adv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The square region M of an R×R image that the patch replaces: {@code x_adv = M⊙P + (1−M)⊙x}.
 * AdvCLIP's is a side of floor(√(0.03·R²)) at the bottom-right with a 14 px margin (38×38 at
 * (172, 172) for 224 px); EXPERIMENTS.md's 32-px demo uses 6×6 with a 2 px margin, at (24, 24).
 */
public record PatchMask(int resolution, int row, int col, int side) {
  public PatchMask {
    if (side < 1 || row < 0 || col < 0 || row + side > resolution || col + side > resolution) {
      throw new IllegalArgumentException("a " + side + " px patch at (" + row + ", " + col + ") does not fit a "
          + resolution + " px image");
    }
  }

  /** A square of the given side at the bottom-right corner, {@code margin} pixels from both edges. */
  public static PatchMask bottomRight(int resolution, int side, int margin) {
    int at = resolution - margin - side;
    return new PatchMask(resolution, at, at, side);
  }

  /** AdvCLIP's side for an area fraction: floor(√(fraction·R²)). */
  public static int sideForFraction(int resolution, double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("patch fraction must be in (0, 1], got " + fraction);
    }
    // the epsilon keeps an exact square (0.25 of 32² = 16²) from flooring to one less
    return (int) Math.floor(Math.sqrt(fraction * resolution * resolution) + 1e-9);
  }

  /** Whether pixel (y, x) lies in the patch. */
  public boolean contains(int y, int x) {
    return y >= row && y < row + side && x >= col && x < col + side;
  }

  /** The mask as R×R values, 1 inside the patch. */
  public float[] values() {
    float[] m = new float[resolution * resolution];
    for (int y = row; y < row + side; y++) {
      java.util.Arrays.fill(m, y * resolution + col, y * resolution + col + side, 1f);
    }
    return m;
  }

  /**
   * {@code M⊙patch + (1−M)⊙x} for images x (N×3×R×R) and a patch map (1×3×R×R), both normalised; on
   * x's manager. Differentiable in both.
   */
  public NDArray apply(NDArray x, NDArray patch) {
    float[] inside = values();
    float[] outside = new float[inside.length];
    for (int i = 0; i < inside.length; i++) {
      outside[i] = 1f - inside[i];
    }
    Shape s = new Shape(1, 1, resolution, resolution);
    NDArray m = x.getManager().create(inside, s);
    NDArray keep = x.getManager().create(outside, s);
    return x.mul(keep).add(Convolutions.local(patch.mul(m), x));
  }
}
