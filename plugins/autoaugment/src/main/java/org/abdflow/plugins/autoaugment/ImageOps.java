package org.abdflow.plugins.autoaugment;

/**
 * AutoAugment's photometric operations on 8-bit pixels (row-major, channels last, 1 or 3
 * channels), with the semantics of torchvision's tensor functions for uint8 images. Each reads
 * {@code src} only and writes every element of {@code dst}, which must be as long as {@code src}.
 *
 * <p>Arithmetic that torchvision does in float32 is done in float here, term by term in the same
 * order, and results go back to 8 bits the way a float-to-uint8 cast does (clamp, then truncate),
 * so that the outputs match torchvision's to the bit wherever its own summation order is fixed.
 */
final class ImageOps {
  private ImageOps() {}

  /** 255 - v. */
  static void invert(byte[] src, byte[] dst) {
    for (int i = 0; i < src.length; i++) {
      dst[i] = (byte) (255 - (src[i] & 0xff));
    }
  }

  /** Keeps the {@code bits} high bits of every value (1..8). */
  static void posterize(byte[] src, byte[] dst, int bits) {
    if (bits < 1 || bits > 8) {
      throw new IllegalArgumentException("posterize needs 1..8 bits, got " + bits);
    }
    int mask = -(1 << (8 - bits));
    for (int i = 0; i < src.length; i++) {
      dst[i] = (byte) (src[i] & mask);
    }
  }

  /** Inverts the values at or above {@code threshold}; a threshold above 255 changes nothing. */
  static void solarize(byte[] src, byte[] dst, float threshold) {
    for (int i = 0; i < src.length; i++) {
      int v = src[i] & 0xff;
      dst[i] = (byte) (v >= threshold ? 255 - v : v);
    }
  }

  /** Stretches each channel to 0..255 from its own min and max; a flat channel is left as it is. */
  static void autoContrast(byte[] src, byte[] dst, int channels) {
    for (int c = 0; c < channels; c++) {
      int min = 255;
      int max = 0;
      for (int i = c; i < src.length; i += channels) {
        int v = src[i] & 0xff;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      // torchvision turns the infinite scale of a flat channel into offset 0 and scale 1
      float offset = max == min ? 0f : min;
      float scale = max == min ? 1f : 255f / (max - min);
      for (int i = c; i < src.length; i += channels) {
        dst[i] = toByte(((src[i] & 0xff) - offset) * scale);
      }
    }
  }

  /**
   * PIL's histogram equalisation of each channel (as torchvision's equalize reproduces it): the
   * lookup maps a value to the count of smaller values over a step that leaves the highest
   * occupied bin out, so a channel with one value or too few pixels is left unchanged.
   */
  static void equalize(byte[] src, byte[] dst, int channels) {
    int[] hist = new int[256];
    int[] lut = new int[256];
    for (int c = 0; c < channels; c++) {
      java.util.Arrays.fill(hist, 0);
      for (int i = c; i < src.length; i += channels) {
        hist[src[i] & 0xff]++;
      }
      int last = 255;
      while (hist[last] == 0) {
        last--;
      }
      long total = 0;
      for (int v = 0; v < 256; v++) {
        total += hist[v];
      }
      long step = (total - hist[last]) / 255;
      if (step == 0) {
        for (int i = c; i < src.length; i += channels) {
          dst[i] = src[i];
        }
        continue;
      }
      long below = 0;
      for (int v = 0; v < 256; v++) {
        lut[v] = (int) Math.min(255, (below + step / 2) / step);
        below += hist[v];
      }
      for (int i = c; i < src.length; i += channels) {
        dst[i] = (byte) lut[src[i] & 0xff];
      }
    }
  }

  /** Blends with black: factor 0 gives a black image, 1 the image itself. */
  static void brightness(byte[] src, byte[] dst, double factor) {
    float ratio = (float) factor;
    for (int i = 0; i < src.length; i++) {
      // the black image's term, (1 - factor) * 0, adds nothing
      dst[i] = toByte(ratio * (src[i] & 0xff));
    }
  }

  /**
   * Torchvision's "Color": blends each pixel with its grey value; factor 0 gives the greyscale
   * image. A grey image is returned as it is, as torchvision (and PIL) do.
   */
  static void saturation(byte[] src, byte[] dst, int channels, double factor) {
    if (channels == 1) {
      System.arraycopy(src, 0, dst, 0, src.length);
      return;
    }
    float ratio = (float) factor;
    float rest = (float) (1.0 - factor);
    for (int i = 0; i < src.length; i += 3) {
      int grey = grey(src[i] & 0xff, src[i + 1] & 0xff, src[i + 2] & 0xff);
      for (int k = 0; k < 3; k++) {
        dst[i + k] = toByte(ratio * (src[i + k] & 0xff) + rest * grey);
      }
    }
  }

  /** Blends with the mean of the greyscale image: factor 0 gives a flat image of that mean. */
  static void contrast(byte[] src, byte[] dst, int channels, double factor) {
    long sum = 0;
    if (channels == 1) {
      for (byte b : src) {
        sum += b & 0xff;
      }
    } else {
      for (int i = 0; i < src.length; i += 3) {
        sum += grey(src[i] & 0xff, src[i + 1] & 0xff, src[i + 2] & 0xff);
      }
    }
    // Integer sums stay exact in float32 up to 2^24 (a 256 x 256 image of 255s), as torch's do.
    float mean = (float) sum / (float) (src.length / channels);
    float ratio = (float) factor;
    float rest = (float) (1.0 - factor);
    float meanTerm = rest * mean;
    for (int i = 0; i < src.length; i++) {
      dst[i] = toByte(ratio * (src[i] & 0xff) + meanTerm);
    }
  }

  /**
   * Blends with the image smoothed by [[1,1,1],[1,5,1],[1,1,1]]/13 (rounded to 8 bits) inside a
   * one-pixel border that stays the original; images under 3 x 3 are returned as they are. Like
   * torchvision, the border too goes through the float32 blend (with itself), which for some
   * factors truncates a value to one less.
   */
  static void sharpness(byte[] src, byte[] dst, int h, int w, int channels, double factor) {
    if (h <= 2 || w <= 2) {
      System.arraycopy(src, 0, dst, 0, src.length);
      return;
    }
    float ratio = (float) factor;
    float rest = (float) (1.0 - factor);
    int row = w * channels;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean border = y == 0 || x == 0 || y == h - 1 || x == w - 1;
        for (int c = 0; c < channels; c++) {
          int i = y * row + x * channels + c;
          int v = src[i] & 0xff;
          int degenerate;
          if (border) {
            degenerate = v;
          } else {
            int s = 4 * v; // the centre weighs 5: 4 here and 1 in the 3 x 3 sum
            for (int dy = -1; dy <= 1; dy++) {
              for (int dx = -1; dx <= 1; dx++) {
                s += src[i + dy * row + dx * channels] & 0xff;
              }
            }
            // s/13 is never within 1/26 of a half, so rounding the exact quotient is the same as
            // rounding torchvision's float32 convolution, whatever its summation order
            degenerate = (2 * s + 13) / 26;
          }
          dst[i] = toByte(ratio * v + rest * degenerate);
        }
      }
    }
  }

  /** ITU-R 601-2 luma as torchvision computes it for uint8: float32, then truncated. */
  static int grey(int r, int g, int b) {
    return (int) (0.2989f * r + 0.587f * g + 0.114f * b);
  }

  /** A float32 value back to 8 bits as torch's cast after clamp(0, 255): truncation toward zero. */
  private static byte toByte(float v) {
    if (!(v > 0f)) {
      return 0;
    }
    return (byte) (int) Math.min(v, 255f);
  }
}
