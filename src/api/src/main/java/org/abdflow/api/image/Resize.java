package org.abdflow.api.image;

/**
 * Bilinear resizing with PyTorch's {@code align_corners=False} convention (half-pixel centres), so
 * a source that resizes and a model that resizes agree pixel for pixel.
 */
public final class Resize {
  private Resize() {}

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
}
