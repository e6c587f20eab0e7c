package org.abdflow.engine.stages;

import java.nio.ByteBuffer;
import org.abdflow.api.Samples;
import org.abdflow.api.image.Image;
import org.abdflow.schema.Sample;

/** Between Avro records and the API's image type. */
public final class Records {
  private Records() {}

  public static Image image(Sample s) {
    return Samples.image(s);
  }

  /** The record's augmented image view; the image itself when it has none. */
  public static Image view(Sample s) {
    return Samples.view(s);
  }

  /** The record's augmented caption view; the caption itself when it has none. */
  public static String captionView(Sample s) {
    return s.getAugCaption() == null ? s.getCaption() : s.getAugCaption();
  }

  public static byte[] bytes(ByteBuffer buffer) {
    // From the buffer's position: Avro hands out buffers positioned at their data.
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** A copy of {@code s} with other pixels (same shape or not). */
  public static Sample withImage(Sample s, Image image) {
    return Sample.newBuilder(s)
        .setHeight(image.height())
        .setWidth(image.width())
        .setChannels(image.channels())
        .setPixels(ByteBuffer.wrap(image.pixels()))
        .build();
  }
}
