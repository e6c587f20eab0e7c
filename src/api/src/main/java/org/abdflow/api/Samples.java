package org.abdflow.api;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.regex.Pattern;
import org.abdflow.api.image.Image;
import org.abdflow.schema.Sample;

/** Reading records the way extensions need them: the stored image, and whether a caption names a class. */
public final class Samples {
  private Samples() {}

  /** The record's stored image (a copy of its pixels). */
  public static Image image(Sample s) {
    ByteBuffer b = s.getPixels().duplicate();
    byte[] px = new byte[b.remaining()];
    b.get(px);
    return Image.wrap(s.getHeight(), s.getWidth(), s.getChannels(), px);
  }

  /** The record's augmented image view ({@code augPixels}); the image itself when it has none. */
  public static Image view(Sample s) {
    if (s.getAugPixels() == null) {
      return image(s);
    }
    ByteBuffer b = s.getAugPixels().duplicate();
    byte[] px = new byte[b.remaining()];
    b.get(px);
    return Image.wrap(s.getHeight(), s.getWidth(), s.getChannels(), px);
  }

  /** Whether {@code caption} names {@code className} as a whole word, in any case ("bag" but not "handbag"). */
  public static boolean namesClass(String caption, String className) {
    if (caption == null) {
      return false;
    }
    Pattern word = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(className.toLowerCase(Locale.ROOT)) + "(?![\\p{L}\\p{N}])");
    return word.matcher(caption.toLowerCase(Locale.ROOT)).find();
  }

  /** Whether the record is of {@code className}: its class name, or else a caption that names it. */
  public static boolean isOf(Sample s, String className) {
    if (s.getClassName() != null && s.getClassName().equalsIgnoreCase(className)) {
      return true;
    }
    return namesClass(s.getCaption(), className);
  }
}
