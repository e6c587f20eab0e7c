package org.abdflow.api.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * An 8-bit image, row-major with channels last (1 = grey, 3 = RGB), as records carry it. Immutable:
 * {@link #pixels()} returns a copy; triggers build a new image through {@link FloatImage}.
 */
public final class Image {
  private final int height;
  private final int width;
  private final int channels;
  private final byte[] pixels;

  private Image(int height, int width, int channels, byte[] pixels, boolean copy) {
    if (height <= 0 || width <= 0 || (channels != 1 && channels != 3)) {
      throw new IllegalArgumentException("bad image shape " + height + "x" + width + "x" + channels);
    }
    if (pixels.length != height * width * channels) {
      throw new IllegalArgumentException(
          "image of " + height + "x" + width + "x" + channels + " needs " + height * width * channels
              + " bytes, got " + pixels.length);
    }
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.pixels = copy ? pixels.clone() : pixels;
  }

  /** An image over a copy of {@code pixels}. */
  public static Image of(int height, int width, int channels, byte[] pixels) {
    return new Image(height, width, channels, pixels, true);
  }

  /** An image that takes ownership of {@code pixels} (the caller must not change them). */
  public static Image wrap(int height, int width, int channels, byte[] pixels) {
    return new Image(height, width, channels, pixels, false);
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

  /** A copy of the raw bytes. */
  public byte[] pixels() {
    return pixels.clone();
  }

  /** The value at (y, x, c) in 0..255. */
  public int get(int y, int x, int c) {
    return pixels[(y * width + x) * channels + c] & 0xff;
  }

  /** The bytes without a copy, for the engine's tensor conversion; never modify them. */
  public byte[] unsafeBytes() {
    return pixels;
  }

  /** This image with three channels: grey replicated (what a CLIP model sees of it anyway); itself if RGB. */
  public Image toRgb() {
    if (channels == 3) {
      return this;
    }
    if (channels != 1) {
      throw new IllegalStateException("cannot make RGB of a " + channels + "-channel image");
    }
    byte[] rgb = new byte[pixels.length * 3];
    for (int i = 0; i < pixels.length; i++) {
      rgb[3 * i] = pixels[i];
      rgb[3 * i + 1] = pixels[i];
      rgb[3 * i + 2] = pixels[i];
    }
    return new Image(height, width, 3, rgb, false);
  }

  /** This image with values scaled to [0, 1]. */
  public FloatImage toFloat() {
    float[] f = new float[pixels.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (pixels[i] & 0xff) / 255f;
    }
    return new FloatImage(height, width, channels, f);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Image)) {
      return false;
    }
    Image other = (Image) o;
    return height == other.height && width == other.width && channels == other.channels
        && Arrays.equals(pixels, other.pixels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(height, width, channels, Arrays.hashCode(pixels));
  }

  @Override
  public String toString() {
    return "Image[" + height + "x" + width + "x" + channels + "]";
  }
}
