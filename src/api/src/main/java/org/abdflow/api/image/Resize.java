package org.abdflow.api.image;

/**
 * Resizing of 8-bit images. Bilinear with PyTorch's {@code align_corners=False} convention
 * (half-pixel centres), so a source that resizes and a model that resizes agree pixel for pixel;
 * and bicubic exactly as Pillow's {@code Image.resize(BICUBIC)}, which CLIP's preprocessing and
 * the reference poisoning scripts use, and {@link #clip} for CLIP's shorter-side resize and
 * centre crop.
 */
public final class Resize {
  private Resize() {}

  /** The filters {@link #square} takes by name. */
  public static final java.util.List<String> FILTERS = java.util.List.of("bilinear", "bicubic");

  /** {@code src} resized to {@code side} × {@code side} (aspect not kept) with the named filter of {@link #FILTERS}. */
  public static Image square(Image src, int side, String filter) {
    switch (filter) {
      case "bilinear":
        return bilinear(src, side, side);
      case "bicubic":
        return bicubic(src, side, side);
      default:
        throw new IllegalArgumentException("unknown resize filter " + filter + " (known: " + FILTERS + ")");
    }
  }

  /** Resizes an 8-bit image; rounds to the nearest value. */
  public static Image bilinear(Image src, int height, int width) {
    if (src.height() == height && src.width() == width) {
      return src;
    }
    float[] out = bilinear(src.unsafeBytes(), src.height(), src.width(), src.channels(), height, width);
    byte[] b = new byte[out.length];
    for (int i = 0; i < out.length; i++) {
      b[i] = (byte) Math.max(0, Math.min(255, Math.round(out[i])));
    }
    return Image.wrap(height, width, src.channels(), b);
  }

  /** Resizes raw 8-bit HWC pixels to floats in 0..255, HWC. */
  public static float[] bilinear(byte[] src, int h, int w, int c, int oh, int ow) {
    float[] out = new float[oh * ow * c];
    float sy = (float) h / oh;
    float sx = (float) w / ow;
    for (int y = 0; y < oh; y++) {
      float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
      int y0 = Math.min((int) fy, h - 1);
      int y1 = Math.min(y0 + 1, h - 1);
      float wy = fy - y0;
      for (int x = 0; x < ow; x++) {
        float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
        int x0 = Math.min((int) fx, w - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        float wx = fx - x0;
        for (int k = 0; k < c; k++) {
          float a = src[(y0 * w + x0) * c + k] & 0xff;
          float b = src[(y0 * w + x1) * c + k] & 0xff;
          float d = src[(y1 * w + x0) * c + k] & 0xff;
          float e = src[(y1 * w + x1) * c + k] & 0xff;
          out[(y * ow + x) * c + k] = (1 - wy) * ((1 - wx) * a + wx * b) + wy * ((1 - wx) * d + wx * e);
        }
      }
    }
    return out;
  }

  /** Pillow's fixed-point precision for 8-bit images. */
  private static final int PRECISION_BITS = 32 - 8 - 2;

  /**
   * Pillow's BICUBIC resize (Keys' cubic with a = −0.5, support widened by the scale when
   * shrinking), in its 8-bit fixed-point arithmetic: horizontal pass, rounding to 8 bits, vertical
   * pass; the same bytes Pillow gives.
   */
  public static Image bicubic(Image src, int height, int width) {
    if (src.height() == height && src.width() == width) {
      return src;
    }
    int c = src.channels();
    byte[] in = src.unsafeBytes();
    int h = src.height();
    int w = src.width();
    byte[] mid = in;
    if (width != w) {
      Coefficients k = coefficients(w, width);
      mid = new byte[h * width * c];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < width; x++) {
          int from = k.bounds[2 * x];
          int n = k.bounds[2 * x + 1];
          for (int ch = 0; ch < c; ch++) {
            long ss = 1L << (PRECISION_BITS - 1);
            for (int j = 0; j < n; j++) {
              ss += (long) (in[(y * w + from + j) * c + ch] & 0xff) * k.weights[x * k.size + j];
            }
            mid[(y * width + x) * c + ch] = clip8(ss);
          }
        }
      }
    }
    if (height == h) {
      return Image.wrap(height, width, c, mid);
    }
    Coefficients k = coefficients(h, height);
    byte[] out = new byte[height * width * c];
    for (int y = 0; y < height; y++) {
      int from = k.bounds[2 * y];
      int n = k.bounds[2 * y + 1];
      for (int x = 0; x < width; x++) {
        for (int ch = 0; ch < c; ch++) {
          long ss = 1L << (PRECISION_BITS - 1);
          for (int j = 0; j < n; j++) {
            ss += (long) (mid[((from + j) * width + x) * c + ch] & 0xff) * k.weights[y * k.size + j];
          }
          out[(y * width + x) * c + ch] = clip8(ss);
        }
      }
    }
    return Image.wrap(height, width, c, out);
  }

  /**
   * CLIP's preprocessing before normalisation: the shorter side resized to {@code n} (bicubic,
   * the longer side truncated as torchvision computes it), then the centre {@code n} × {@code n}
   * crop.
   */
  public static Image clip(Image src, int n) {
    int h = src.height();
    int w = src.width();
    int nh;
    int nw;
    if (w <= h) {
      nw = n;
      nh = (int) ((long) n * h / w);
    } else {
      nh = n;
      nw = (int) ((long) n * w / h);
    }
    Image resized = bicubic(src, nh, nw);
    int top = (int) Math.round((nh - n) / 2.0);
    int left = (int) Math.round((nw - n) / 2.0);
    return crop(resized, top, left, n, n);
  }

  /** The {@code height} × {@code width} region at ({@code top}, {@code left}). */
  public static Image crop(Image src, int top, int left, int height, int width) {
    if (top == 0 && left == 0 && height == src.height() && width == src.width()) {
      return src;
    }
    if (top < 0 || left < 0 || top + height > src.height() || left + width > src.width()) {
      throw new IllegalArgumentException("crop " + height + "x" + width + " at (" + top + ", " + left + ") outside a "
          + src.height() + "x" + src.width() + " image");
    }
    int c = src.channels();
    byte[] in = src.unsafeBytes();
    byte[] out = new byte[height * width * c];
    for (int y = 0; y < height; y++) {
      System.arraycopy(in, ((top + y) * src.width() + left) * c, out, y * width * c, width * c);
    }
    return Image.wrap(height, width, c, out);
  }

  private static byte clip8(long ss) {
    long v = ss >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
  }

  private static double cubic(double x) {
    double a = -0.5;
    x = Math.abs(x);
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  /** Per output pixel: first input pixel and count ({@code bounds}), and fixed-point weights, as Pillow's precompute_coeffs. */
  private record Coefficients(int size, int[] bounds, int[] weights) {}

  private static Coefficients coefficients(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = 2.0 * filterScale;
    int size = (int) Math.ceil(support) * 2 + 1;
    int[] bounds = new int[2 * outSize];
    int[] weights = new int[outSize * size];
    double[] k = new double[size];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      double ww = 0.0;
      double ss = 1.0 / filterScale;
      int xmin = (int) (center - support + 0.5);
      if (xmin < 0) {
        xmin = 0;
      }
      int xmax = (int) (center + support + 0.5);
      if (xmax > inSize) {
        xmax = inSize;
      }
      xmax -= xmin;
      for (int x = 0; x < xmax; x++) {
        double wt = cubic((x + xmin - center + 0.5) * ss);
        k[x] = wt;
        ww += wt;
      }
      for (int x = 0; x < xmax; x++) {
        double v = ww != 0.0 ? k[x] / ww : k[x];
        weights[xx * size + x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
      }
      bounds[2 * xx] = xmin;
      bounds[2 * xx + 1] = xmax;
    }
    return new Coefficients(size, bounds, weights);
  }
}
