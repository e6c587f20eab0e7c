package org.abdflow.api.image;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Bad image files fail with their path; huge declared sizes fail before any pixel is decoded. */
public class ImageFilesTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = tmp.getRoot().toPath().resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }

  private static BufferedImage noise(int side, int type) {
    BufferedImage img = new BufferedImage(side, side, type);
    Random r = new Random(1);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        img.setRGB(x, y, r.nextInt());
      }
    }
    return img;
  }

  /** A PNG signature and IHDR chunk only: the header claims the size, no pixel data follows. */
  private static byte[] pngHeader(int width, int height, int bitDepth, int colorType) {
    ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
        .putInt(width).putInt(height).put((byte) bitDepth).put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    return ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})
        .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
  }

  private static String refusal(Path file, long maxPixels) {
    IOException e = assertThrows(IOException.class, () -> ImageFiles.read(file, maxPixels));
    assertThat(e.getMessage(), containsString(file.toString()));
    return e.getMessage();
  }

  @Test
  public void refusesHugeDeclaredSizesBeforeDecoding() throws IOException {
    // 100000 x 100000 RGB would be 30 GB; there is no pixel data at all, so only the header was read.
    Path bomb = write("bomb.png", pngHeader(100_000, 100_000, 8, 2));
    assertThat(refusal(bomb, ImageFiles.MAX_PIXELS),
        containsString("is 100000 x 100000 pixels, more than the limit of " + ImageFiles.MAX_PIXELS));
    Path small = write("small.png", encode(noise(20, BufferedImage.TYPE_INT_RGB), "png"));
    assertThat(refusal(small, 399), containsString("is 20 x 20 pixels, more than the limit of 399"));
    assertEquals(20, ImageFiles.read(small, 400).height());
  }

  @Test
  public void refusesEmptyCorruptAndTruncatedFiles() throws IOException {
    assertThat(refusal(write("empty.png", new byte[0]), ImageFiles.MAX_PIXELS), containsString("it is empty"));
    assertThat(refusal(write("text.jpg", "<html>404</html>".getBytes(StandardCharsets.UTF_8)), ImageFiles.MAX_PIXELS),
        containsString("is not an image ImageIO can read"));
    for (String format : new String[] {"png", "jpg", "bmp", "gif"}) {
      byte[] full = encode(noise(64, BufferedImage.TYPE_INT_RGB), format);
      Path cut = write("cut." + format, Arrays.copyOf(full, full.length / 2));
      refusal(cut, ImageFiles.MAX_PIXELS);
    }
    // ImageIO decodes a truncated JPEG, grey where data is missing, and only warns
    byte[] jpeg = encode(noise(64, BufferedImage.TYPE_INT_RGB), "jpg");
    assertThat(refusal(write("half.jpg", Arrays.copyOf(jpeg, jpeg.length / 2)), ImageFiles.MAX_PIXELS),
        containsString("is damaged"));
  }

  @Test
  public void channelCountsBecomeRgbOrAreRefused() throws IOException {
    // grey + alpha (2 channels), RGBA (4), 16-bit grey: all become 3 channels of 8 bits
    BufferedImage greyAlpha = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    Path[] files = {
      write("rgba.png", encode(noise(3, BufferedImage.TYPE_INT_ARGB), "png")),
      write("grey16.png", encode(new BufferedImage(3, 3, BufferedImage.TYPE_USHORT_GRAY), "png")),
      write("grey.png", encode(greyAlpha, "png")),
    };
    for (Path f : files) {
      assertEquals(f.toString(), 3, ImageFiles.read(f).channels());
    }
    // colour type 5 does not exist in PNG: a header no channel layout fits
    assertThat(refusal(write("type5.png", pngHeader(4, 4, 8, 5)), ImageFiles.MAX_PIXELS), containsString("does not decode"));
  }
}
