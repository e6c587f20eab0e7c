package org.abdflow.api.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Decodes image files with {@link ImageIO} into 8-bit RGB, refusing huge declared sizes before decoding. */
public final class ImageFiles {
  /** Larger images are refused rather than decoded (a corrupt or hostile header can claim anything). */
  public static final long MAX_PIXELS = 1L << 26;

  /**
   * Decoder warnings that mean the file ends early: ImageIO's JPEG reader then returns the image
   * with its missing part grey, and only warns. Other warnings (extraneous bytes) leave the image
   * whole.
   */
  private static final List<String> TRUNCATION_WARNINGS = List.of("truncated", "premature end");

  private ImageFiles() {}

  /**
   * Reads PNG, JPEG, BMP, GIF (whatever {@link ImageIO} reads). Alpha is dropped, as PIL's {@code
   * convert("RGB")} does; grey images are repeated over the three channels.
   */
  public static Image read(Path file) throws IOException {
    return read(file, MAX_PIXELS);
  }

  /**
   * {@link #read(Path)}, refusing images of more than {@code maxPixels} pixels from their header,
   * before any pixel is decoded, and truncated files.
   */
  public static Image read(Path file, long maxPixels) throws IOException {
    if (maxPixels < 1 || maxPixels > Integer.MAX_VALUE / 3) {
      throw new IllegalArgumentException("maxPixels must be in [1, " + Integer.MAX_VALUE / 3 + "], not " + maxPixels);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new IOException(file + " is not an image ImageIO can read (PNG, JPEG, BMP, GIF)"
            + (java.nio.file.Files.size(file) == 0 ? ": it is empty" : ""));
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > maxPixels) {
          throw new IOException(file + " is " + reader.getWidth(0) + " x " + reader.getHeight(0)
              + " pixels, more than the limit of " + maxPixels);
        }
        List<String> truncated = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
          String w = warning.toLowerCase(Locale.ROOT);
          if (TRUNCATION_WARNINGS.stream().anyMatch(w::contains)) {
            truncated.add(warning);
          }
        });
        BufferedImage img = reader.read(0);
        if (!truncated.isEmpty()) {
          throw new IOException(file + " is damaged: " + String.join("; ", truncated));
        }
        return of(img);
      } catch (IOException | RuntimeException e) {
        if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
          throw e; // one of ours
        }
        // ImageIO's own messages do not say which file, and a truncated BMP's has no message at all
        throw new IOException(file + " does not decode: " + e, e);
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
