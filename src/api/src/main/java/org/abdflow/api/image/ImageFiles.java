package org.abdflow.api.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Decodes image files with {@link ImageIO} into 8-bit RGB, refusing huge declared sizes before decoding. */
public final class ImageFiles {
  /** Larger images are refused rather than decoded (a corrupt or hostile header can claim anything). */
  public static final long MAX_PIXELS = 1L << 26;

  private ImageFiles() {}

  /**
   * Reads PNG, JPEG, BMP, GIF (whatever {@link ImageIO} reads). Alpha is dropped, as PIL's {@code
   * convert("RGB")} does; grey images are repeated over the three channels.
   */
  public static Image read(Path file) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new IOException(file + " is not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new IOException(file + " is " + reader.getWidth(0) + " x " + reader.getHeight(0)
              + " pixels, more than the limit of " + MAX_PIXELS);
        }
        return of(reader.read(0));
      } finally {
        reader.dispose();
      }
    }
  }

  /** The pixels of {@code img} as 8-bit RGB, channels last. */
  public static Image of(BufferedImage img) {
    int h = img.getHeight();
    int w = img.getWidth();
    byte[] out = new byte[h * w * 3];
    ColorModel cm = img.getColorModel();
    Raster r = img.getRaster();
    ColorSpace cs = cm.getColorSpace();
    boolean direct = cm instanceof ComponentColorModel && r.getNumBands() >= cm.getNumColorComponents();
    if (direct && cm.getNumColorComponents() == 1 && cs.getType() == ColorSpace.TYPE_GRAY) {
      // Raw grey samples: getRGB would pass them through a linear-to-sRGB conversion.
      int max = (1 << cm.getComponentSize(0)) - 1;
      int i = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          byte v = scale(r.getSample(x, y, 0), max);
          out[i++] = v;
          out[i++] = v;
          out[i++] = v;
        }
      }
    } else if (direct && cm.getNumColorComponents() == 3 && cs.isCS_sRGB()) {
      int i = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int c = 0; c < 3; c++) {
            out[i++] = scale(r.getSample(x, y, c), (1 << cm.getComponentSize(c)) - 1);
          }
        }
      }
    } else {
      int i = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int argb = img.getRGB(x, y);
          out[i++] = (byte) (argb >> 16);
          out[i++] = (byte) (argb >> 8);
          out[i++] = (byte) argb;
        }
      }
    }
    return Image.wrap(h, w, 3, out);
  }

  private static byte scale(int sample, int max) {
    return (byte) (max == 255 ? sample : (sample * 255L + max / 2) / max);
  }
}
