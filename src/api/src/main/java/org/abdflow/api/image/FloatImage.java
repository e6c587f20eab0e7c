package org.abdflow.api.image;

/**
 * A mutable image with values nominally in [0, 1], row-major, channels last: where triggers do
 * their arithmetic before the result is turned back into 8 bits.
 */
public final class FloatImage {
  private final int height;
  private final int width;
  private final int channels;
  private final float[] data;

  public FloatImage(int height, int width, int channels, float[] data) {
    if (data.length != height * width * channels) {
      throw new IllegalArgumentException("shape " + height + "x" + width + "x" + channels + " vs " + data.length + " values");
    }
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.data = data;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int channels() {
    return channels;
  }

  public float get(int y, int x, int c) {
    return data[(y * width + x) * channels + c];
  }

  public void set(int y, int x, int c, float v) {
    data[(y * width + x) * channels + c] = v;
  }

  /** The mean of one channel over the whole image. */
  public double channelMean(int c) {
    double sum = 0;
    for (int i = c; i < data.length; i += channels) {
      sum += data[i];
    }
    return sum / (height * width);
  }

  /** The backing array (row-major, channels last). */
  public float[] data() {
    return data;
  }

  /**
   * Back to 8 bits as value x 255 truncated toward zero (as the reference poisoning code does);
   * {@code overflow} says what happens to values outside [0, 1].
   */
  public Image toImage(Overflow overflow) {
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      float v = data[i];
      int q;
      if (overflow == Overflow.CLAMP) {
        q = (int) (Math.max(0f, Math.min(1f, v)) * 255f);
      } else {
        q = ((int) (v * 255f)) & 0xff;
      }
      out[i] = (byte) q;
    }
    return Image.wrap(height, width, channels, out);
  }

  /** What 8-bit conversion does with values outside [0, 1]. */
  public enum Overflow {
    /** Clip to [0, 1] first. */
    CLAMP,
    /** Truncate and keep the low 8 bits, as PyTorch's float-to-uint8 cast does on x86. */
    WRAP
  }
}
