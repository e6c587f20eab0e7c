package org.abdflow.plugins.wanet;

import java.util.SplittableRandom;

/**
 * WaNet's sampling grid for images of one size, as the reference builds it: a k x k grid of
 * U[-1, 1] offsets (two planes, x and y) divided by their mean absolute value, upsampled bicubically
 * (align_corners, PyTorch's A = -0.75) to the image, added as {@code s * noise / H} to the identity
 * grid over [-1, 1], rescaled and clamped to [-1, 1].
 */
final class WarpGrid {
  private static final double A = -0.75;

  final int height;
  final int width;
  /** Normalised sampling coordinates in [-1, 1]: x then y per output pixel, row-major. */
  final double[] grid;

  private WarpGrid(int height, int width, double[] grid) {
    this.height = height;
    this.width = width;
    this.grid = grid;
  }

  static WarpGrid build(WaNetConfig config, int height, int width) {
    int k = config.gridSize();
    SplittableRandom rnd = new SplittableRandom(config.gridSeed());
    double[][] planes = new double[2][k * k];
    double absSum = 0;
    for (double[] p : planes) {
      for (int i = 0; i < p.length; i++) {
        p[i] = rnd.nextDouble() * 2 - 1;
        absSum += Math.abs(p[i]);
      }
    }
    double meanAbs = absSum / (2.0 * k * k);
    double[] grid = new double[height * width * 2];
    for (int plane = 0; plane < 2; plane++) {
      double[] up = bicubic(planes[plane], k, k, height, width);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double identity = plane == 0 ? linspace(x, width) : linspace(y, height);
          double v = (identity + config.strength() * (up[y * width + x] / meanAbs) / height) * config.gridRescale();
          grid[(y * width + x) * 2 + plane] = Math.max(-1, Math.min(1, v));
        }
      }
    }
    return new WarpGrid(height, width, grid);
  }

  /** torch.linspace(-1, 1, n)[i]. */
  static double linspace(int i, int n) {
    return n == 1 ? -1 : -1 + 2.0 * i / (n - 1);
  }

  /** Bicubic resize with align_corners = true; borders replicate, as PyTorch's upsample_bicubic2d. */
  static double[] bicubic(double[] src, int h, int w, int oh, int ow) {
    double[] rows = new double[h * ow];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < ow; x++) {
        rows[y * ow + x] = interpolate(src, y * w, 1, w, x, ow);
      }
    }
    double[] out = new double[oh * ow];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        out[y * ow + x] = interpolate(rows, x, ow, h, y, oh);
      }
    }
    return out;
  }

  /** Cubic interpolation along one axis of length n (values at base + i * stride) at output index o of m. */
  private static double interpolate(double[] v, int base, int stride, int n, int o, int m) {
    double src = m == 1 ? 0 : (double) o * (n - 1) / (m - 1);
    int i = (int) Math.floor(src);
    double t = src - i;
    double[] w = {cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)};
    double s = 0;
    for (int k = 0; k < 4; k++) {
      int j = Math.max(0, Math.min(n - 1, i - 1 + k));
      s += w[k] * v[base + j * stride];
    }
    return s;
  }

  private static double cubic1(double x) {
    return ((A + 2) * x - (A + 3)) * x * x + 1;
  }

  private static double cubic2(double x) {
    return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
  }
}
