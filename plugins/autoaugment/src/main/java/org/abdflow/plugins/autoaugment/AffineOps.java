package org.abdflow.plugins.autoaugment;

/**
 * AutoAugment's geometric operations on 8-bit pixels (row-major, channels last) as torchvision's
 * tensor {@code affine} and {@code rotate} do them with AutoAugment's settings: the same output
 * size, nearest-neighbour sampling, 0 outside the source image. Each reads {@code src} only and
 * writes every element of {@code dst}, which must be a different array of the same length.
 */
final class AffineOps {
  // Python's math.degrees and math.radians multiply by these two constants
  private static final double DEGREES_PER_RADIAN = 180.0 / Math.PI;
  private static final double RADIANS_PER_DEGREE = Math.PI / 180.0;

  private AffineOps() {}

  /**
   * Shears rows by {@code m} (x' = x + m·y in the source's terms, about the top-left corner, as
   * torchvision's AutoAugment passes {@code center=[0, 0]} and {@code atan(m)} as the angle).
   */
  static void shearX(byte[] src, byte[] dst, int h, int w, int c, double m) {
    double degrees = Math.atan(m) * DEGREES_PER_RADIAN;
    warp(src, dst, h, w, c, inverseMatrix(-0.5 * w, -0.5 * h, 0, 0, 0, degrees, 0));
  }

  /** Shears columns by {@code m}, about the top-left corner like {@link #shearX}. */
  static void shearY(byte[] src, byte[] dst, int h, int w, int c, double m) {
    double degrees = Math.atan(m) * DEGREES_PER_RADIAN;
    warp(src, dst, h, w, c, inverseMatrix(-0.5 * w, -0.5 * h, 0, 0, 0, 0, degrees));
  }

  /** Moves the content {@code dx} pixels right and {@code dy} down; what comes in is 0. */
  static void translate(byte[] src, byte[] dst, int h, int w, int c, int dx, int dy) {
    warp(src, dst, h, w, c, inverseMatrix(0, 0, 0, dx, dy, 0, 0));
  }

  /** Rotates counter-clockwise by {@code degrees} about the image centre; corners come in as 0. */
  static void rotate(byte[] src, byte[] dst, int h, int w, int c, double degrees) {
    // torchvision's rotate hands affine the negated angle: their angle conventions differ
    warp(src, dst, h, w, c, inverseMatrix(0, 0, -degrees, 0, 0, 0, 0));
  }

  /**
   * The output-to-source map of rotation, translation and shear (torchvision's convention:
   * shear matrices [1, -tan sx; 0, 1] and [1, 0; -tan sy, 1]) in coordinates centred on the image,
   * about the point (cx, cy) of those coordinates. Row-major 2 x 3.
   */
  static double[] inverseMatrix(double cx, double cy, double angleDegrees, double tx, double ty,
      double shearXDegrees, double shearYDegrees) {
    double rot = angleDegrees * RADIANS_PER_DEGREE;
    double sx = shearXDegrees * RADIANS_PER_DEGREE;
    double sy = shearYDegrees * RADIANS_PER_DEGREE;
    // the forward 2 x 2 part R(rot) * SHy(sy) * SHx(sx); its determinant is 1
    double a = Math.cos(rot - sy) / Math.cos(sy);
    double b = -Math.cos(rot - sy) * Math.tan(sx) / Math.cos(sy) - Math.sin(rot);
    double c = Math.sin(rot - sy) / Math.cos(sy);
    double d = -Math.sin(rot - sy) * Math.tan(sx) / Math.cos(sy) + Math.cos(rot);
    double[] m = {d, -b, 0.0, -c, a, 0.0};
    // undo the translation and move the pivot to the origin, invert, then move the pivot back
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
    m[2] += cx;
    m[5] += cy;
    return m;
  }

  /**
   * Samples {@code src} at the nearest pixel to where {@code inverse} sends each output pixel
   * centre. Done in float32 with torchvision's steps (grid normalised by half the size, then
   * grid_sample's unnormalisation and round-half-even), so that near-ties fall the same way.
   */
  static void warp(byte[] src, byte[] dst, int h, int w, int c, double[] inverse) {
    float halfW = 0.5f * w;
    float halfH = 0.5f * h;
    float gx0 = (float) inverse[0] / halfW;
    float gx1 = (float) inverse[1] / halfW;
    float gx2 = (float) inverse[2] / halfW;
    float gy0 = (float) inverse[3] / halfH;
    float gy1 = (float) inverse[4] / halfH;
    float gy2 = (float) inverse[5] / halfH;
    int o = 0;
    for (int y = 0; y < h; y++) {
      float yc = y + 0.5f - halfH;
      for (int x = 0; x < w; x++) {
        float xc = x + 0.5f - halfW;
        float gx = xc * gx0 + yc * gx1 + gx2;
        float gy = xc * gy0 + yc * gy1 + gy2;
        double sx = Math.rint((gx + 1f) * halfW - 0.5f);
        double sy = Math.rint((gy + 1f) * halfH - 0.5f);
        if (sx >= 0 && sx < w && sy >= 0 && sy < h) {
          System.arraycopy(src, ((int) sy * w + (int) sx) * c, dst, o, c);
        } else {
          for (int k = 0; k < c; k++) {
            dst[o + k] = 0;
          }
        }
        o += c;
      }
    }
  }
}
