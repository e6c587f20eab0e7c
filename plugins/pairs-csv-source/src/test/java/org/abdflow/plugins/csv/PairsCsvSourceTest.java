package org.abdflow.plugins.csv;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.abdflow.api.SourceContext;
import org.abdflow.api.config.ConfigException;
import org.abdflow.schema.Sample;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PairsCsvSourceTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final PairsCsvSource source = new PairsCsvSource();
  private Path root;
  private Path data;
  private SourceContext context;

  @Before
  public void setUp() throws IOException {
    root = tmp.getRoot().toPath();
    data = Files.createDirectories(root.resolve("cc3m"));
    context = Collector.context(root, 3L, "pairs");
    Files.createDirectories(data.resolve("img"));
    rgb("img/red.png", "png", 0xff0000, BufferedImage.TYPE_INT_RGB);
    rgb("img/mixed.bmp", "bmp", 0x123456, BufferedImage.TYPE_INT_RGB);
    rgb("img/alpha.png", "png", 0x80336699, BufferedImage.TYPE_INT_ARGB);
    rgb("img/photo.jpg", "jpg", 0x00ff00, BufferedImage.TYPE_INT_RGB);
    BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < 6; i++) {
      grey.getRaster().setSample(i % 3, i / 3, 0, 40 * i);
    }
    ImageIO.write(grey, "png", data.resolve("img/grey.png").toFile());
    Files.write(data.resolve("img/corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H'});
    Files.write(data.resolve("img/notes.png"), "not an image".getBytes(StandardCharsets.UTF_8));
    rgb("../outside.png", "png", 0x0000ff, BufferedImage.TYPE_INT_RGB);
  }

  private void rgb(String name, String format, int argb, int type) throws IOException {
    BufferedImage img = new BufferedImage(3, 2, type);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        img.setRGB(x, y, argb);
      }
    }
    ImageIO.write(img, format, data.resolve(name).toFile());
  }

  private Path csv(String text) throws IOException {
    Path p = data.resolve("pairs.csv");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static PairsCsvConfig config(Object... kv) {
    Map<String, Object> raw = new HashMap<>();
    raw.put("csv", "cc3m/pairs.csv");
    for (int i = 0; i < kv.length; i += 2) {
      raw.put((String) kv[i], kv[i + 1]);
    }
    return PairsCsvConfig.from(raw);
  }

  private Collector readAll(PairsCsvConfig config) throws IOException {
    Collector out = new Collector();
    for (String split : source.splits(config, context)) {
      source.read(split, config, context, out);
    }
    return out;
  }

  private static byte[] fill(int rgb, int n) {
    byte[] b = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      b[3 * i] = (byte) (rgb >> 16);
      b[3 * i + 1] = (byte) (rgb >> 8);
      b[3 * i + 2] = (byte) rgb;
    }
    return b;
  }

  @Test
  public void readsGoodRowsAsRgb() throws IOException {
    csv("caption,image,label\n"
        + "\"a red square, quite \"\"red\"\"\",img/red.png,3\n"
        + "a grey gradient,img/grey.png,\n"
        + "bitmap,./img/mixed.bmp,0\n"
        + "\"alpha\",img/alpha.png,1\n"
        + "\"a photo\nover two lines\",img/photo.jpg,2\n");
    Collector out = readAll(config("labelColumn", "label", "splitSize", 2));
    assertThat(out.failures, is(empty()));
    assertThat(out.ids(), contains("pairs/0000001", "pairs/0000002", "pairs/0000003", "pairs/0000004", "pairs/0000005"));
    List<Sample> s = out.samples;
    assertEquals("a red square, quite \"red\"", s.get(0).getCaption());
    assertEquals(3, s.get(0).getLabel());
    assertArrayEquals(fill(0xff0000, 6), Collector.bytes(s.get(0).getPixels()));
    assertEquals(2, s.get(1).getHeight());
    assertEquals(3, s.get(1).getWidth());
    assertEquals(3, s.get(1).getChannels());
    assertEquals(-1, s.get(1).getLabel());
    byte[] grey = Collector.bytes(s.get(1).getPixels());
    for (int i = 0; i < 6; i++) {
      for (int c = 0; c < 3; c++) {
        assertEquals("grey value stays raw", 40 * i, grey[3 * i + c] & 0xff);
      }
    }
    assertArrayEquals(fill(0x123456, 6), Collector.bytes(s.get(2).getPixels()));
    assertArrayEquals("alpha is dropped", fill(0x336699, 6), Collector.bytes(s.get(3).getPixels()));
    assertEquals("a photo\nover two lines", s.get(4).getCaption());
    assertEquals(18, s.get(4).getPixels().remaining());
    for (Sample x : s) {
      assertEquals(3, x.getChannels());
      assertEquals(null, x.getClassName());
    }
  }

  @Test
  public void badRowsGoToFailWithRowLineAndRawText() throws IOException {
    Path csv = csv("image,caption\n"
        + "img/red.png,good one\n" // row 1, line 2
        + "img/missing.png,no file\n" // row 2, line 3
        + "img/corrupt.png,corrupt png\n" // row 3, line 4
        + "img/notes.png,text file\n" // row 4, line 5
        + "../outside.png,escapes\n" // row 5, line 6
        + "img/../../outside.png,escapes too\n" // row 6, line 7
        + root.resolve("outside.png") + ",absolute\n" // row 7, line 8
        + "img/red.png,  \n" // row 8, line 9
        + "img/red.png,too,many\n" // row 9, line 10
        + "img/red.png\n" // row 10, line 11
        + "img/red.png,\"bad\"quote\n" // row 11, line 12
        + ",no image\n" // row 12, line 13
        + "img,a folder\n" // row 13, line 14
        + "img/mixed.bmp,\"good\ntoo\"\n"); // row 14, line 15
    Collector out = readAll(config("splitSize", 5));
    assertThat(out.ids(), contains("pairs/0000001", "pairs/0000014"));
    assertThat(out.failedIds(), contains("pairs/0000002", "pairs/0000003", "pairs/0000004", "pairs/0000005",
        "pairs/0000006", "pairs/0000007", "pairs/0000008", "pairs/0000009", "pairs/0000010", "pairs/0000011",
        "pairs/0000012", "pairs/0000013"));
    for (Collector.Failure f : out.failures) {
      int row = Integer.parseInt(f.recordId.substring("pairs/".length()));
      assertEquals(csv + ": row " + row + " (line " + (row + 1) + ")", f.location);
    }
    Map<Integer, Collector.Failure> byRow = new HashMap<>();
    out.failures.forEach(f -> byRow.put(Integer.parseInt(f.recordId.substring(6)), f));
    assertThat(byRow.get(2).error, instanceOf(NoSuchFileException.class));
    assertThat(byRow.get(2).error.getMessage(), containsString("missing.png"));
    assertEquals("img/missing.png,no file", new String(byRow.get(2).payload, StandardCharsets.UTF_8));
    assertThat(byRow.get(3).error, instanceOf(IOException.class));
    assertThat(byRow.get(4).error.getMessage(), containsString("not an image ImageIO can read"));
    assertThat(byRow.get(5).error.getMessage(), containsString("leaves the CSV's folder"));
    assertThat(byRow.get(6).error.getMessage(), containsString("leaves the CSV's folder"));
    assertThat(byRow.get(7).error.getMessage(), containsString("is absolute"));
    assertThat(byRow.get(8).error.getMessage(), is("empty caption"));
    assertThat(byRow.get(9).error.getMessage(), is("the row has 3 fields, the header has 2"));
    assertThat(byRow.get(10).error.getMessage(), is("the row has 1 field, the header has 2"));
    assertEquals("img/red.png", new String(byRow.get(10).payload, StandardCharsets.UTF_8));
    assertThat(byRow.get(11).error.getMessage(), containsString("after the closing quote"));
    assertThat(byRow.get(12).error.getMessage(), is("empty image path"));
    assertThat(byRow.get(13).error.getMessage(), containsString("not a regular file"));
    assertEquals("good\ntoo", out.samples.get(1).getCaption());
  }

  @Test
  public void badInputIsDeadLetteredAndTheCountsAddUp() throws IOException {
    Files.write(data.resolve("img/empty.png"), new byte[0]);
    byte[] jpeg = Files.readAllBytes(data.resolve("img/photo.jpg"));
    Files.write(data.resolve("img/half.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
    // a PNG header claiming 2000 x 1000 pixels, and no pixel data
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
        .putInt(2000).putInt(1000).put(new byte[] {8, 2, 0, 0, 0});
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(ihdr.array());
    Files.write(data.resolve("img/huge.png"), java.nio.ByteBuffer.allocate(33)
        .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array());
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    text.writeBytes(("image,caption\n"
        + "img/red.png,good 1\n" // row 1
        + "img/empty.png,zero bytes\n" // row 2
        + "img/half.jpg,truncated\n" // row 3
        + "img/huge.png,huge header\n" // row 4
        + "img/red.png,caf").getBytes(StandardCharsets.UTF_8));
    text.write(0xE9); // row 5: Latin-1, not UTF-8
    text.writeBytes(("\n"
        + "img/grey.png,\"\"\n" // row 6: empty quoted caption
        + "img/red.png\n" // row 7: a field missing
        + "img/alpha.png,good 2\n" // row 8
        + "img/red.png,\"unbalanced\n").getBytes(StandardCharsets.UTF_8)); // row 9: a quote never closed
    // (an unclosed quote takes every line after it into its field, as RFC 4180 reads it, hence last)
    Files.write(data.resolve("pairs.csv"), text.toByteArray());
    Collector out = readAll(config("splitSize", 3, "maxMegapixels", 1));
    assertThat(out.ids(), contains("pairs/0000001", "pairs/0000008"));
    assertThat(out.failedIds(), contains("pairs/0000002", "pairs/0000003", "pairs/0000004", "pairs/0000005",
        "pairs/0000006", "pairs/0000007", "pairs/0000009"));
    assertEquals("in = out + dead", 9, out.samples.size() + out.failures.size());
    Map<Integer, String> why = new HashMap<>();
    out.failures.forEach(f -> why.put(Integer.parseInt(f.recordId.substring(6)), f.error.getMessage()));
    assertThat(why.get(2), containsString(data.resolve("img/empty.png") + " is not an image ImageIO can read"));
    assertThat(why.get(3), containsString(data.resolve("img/half.jpg").toString()));
    assertThat(why.get(4), containsString("is 2000 x 1000 pixels, more than the limit of 1000000"));
    assertThat(why.get(5), is("field 2 is not UTF-8 text"));
    assertThat(why.get(6), is("empty caption"));
    assertThat(why.get(7), is("the row has 1 field, the header has 2"));
    assertThat(why.get(9), containsString("not closed before the end of the file"));
    for (Collector.Failure f : out.failures) {
      assertThat(f.location, containsString(data.resolve("pairs.csv") + ": row "));
    }
    assertEquals(64, config().maxMegapixels());
    assertEquals("maxMegapixels", key(Map.of("csv", "a.csv", "maxMegapixels", 0)));
  }

  @Test
  public void symbolicLinkOutOfTheFolderIsRefused() throws IOException {
    Files.createSymbolicLink(data.resolve("img/link.png"), root.resolve("outside.png"));
    csv("image,caption\nimg/link.png,linked\n");
    Collector out = readAll(config());
    assertThat(out.samples, is(empty()));
    assertThat(out.failures.get(0).error.getMessage(), containsString("links outside the CSV's folder"));
  }

  @Test
  public void splitsAreChunksOfRowsThatReadIndependently() throws IOException {
    StringBuilder text = new StringBuilder("image,caption\n");
    for (int i = 1; i <= 7; i++) {
      text.append("img/red.png,\"caption ").append(i).append(i == 3 ? "\nsecond line" : "").append("\"\n");
      if (i == 5) {
        text.append("\n");
      }
    }
    csv(text.toString());
    List<String> splits = source.splits(config("splitSize", 3), context);
    assertThat(splits, contains("rows=1-3,offset=14,line=2", "rows=4-6,offset=98,line=6", "rows=7-7,offset=171,line=10"));
    List<String> captions = new ArrayList<>();
    for (int i = splits.size() - 1; i >= 0; i--) { // any order, any worker
      Collector out = new Collector();
      source.read(splits.get(i), config("splitSize", 3), context, out);
      assertThat(out.failures, is(empty()));
      List<String> part = new ArrayList<>();
      out.samples.forEach(x -> part.add(x.getCaption()));
      captions.addAll(0, part);
    }
    assertThat(captions, contains("caption 1", "caption 2", "caption 3\nsecond line", "caption 4", "caption 5",
        "caption 6", "caption 7"));
    assertThat(source.splits(config("splitSize", 3, "limit", 4), context),
        contains("rows=1-3,offset=14,line=2", "rows=4-4,offset=98,line=6"));
    assertThat(source.splits(config("limit", 0), context), is(empty()));
  }

  @Test
  public void resizeAndTsv() throws IOException {
    Files.writeString(data.resolve("pairs.csv"), "url\ttext\nimg/red.png\ta, red\n");
    Collector out = readAll(config("delimiter", "\t", "imageColumn", "url", "captionColumn", "text", "resize", 4));
    assertThat(out.failures, is(empty()));
    assertEquals("a, red", out.samples.get(0).getCaption());
    assertEquals(4, out.samples.get(0).getHeight());
    assertArrayEquals(fill(0xff0000, 16), Collector.bytes(out.samples.get(0).getPixels()));
  }

  @Test
  public void fileAndHeaderProblemsFailBeforeTheRun() throws IOException {
    ConfigException e = assertThrows(ConfigException.class, () -> source.splits(config(), context));
    assertEquals("csv", e.key());
    assertThat(e.getMessage(), containsString("no such file: " + data.resolve("pairs.csv")));

    csv("");
    e = assertThrows(ConfigException.class, () -> source.splits(config(), context));
    assertEquals("csv", e.key());
    assertThat(e.getMessage(), containsString("is empty"));

    csv("file,caption\nimg/red.png,x\n");
    e = assertThrows(ConfigException.class, () -> source.splits(config(), context));
    assertEquals("imageColumn", e.key());
    assertThat(e.getMessage(), containsString("has no column 'image' (its header: file, caption)"));

    csv("image,text\nimg/red.png,x\n");
    assertEquals("captionColumn", assertThrows(ConfigException.class, () -> source.splits(config(), context)).key());
    assertEquals("labelColumn",
        assertThrows(ConfigException.class, () -> source.splits(config("captionColumn", "text", "labelColumn", "y"), context)).key());
    csv("image,caption,image\nimg/red.png,x,y\n");
    assertEquals("imageColumn", assertThrows(ConfigException.class, () -> source.splits(config(), context)).key());
  }

  @Test
  public void badLabelsFailTheRow() throws IOException {
    csv("image,caption,label\nimg/red.png,a,seven\nimg/red.png,b,-2\nimg/red.png,c, 4 \n");
    Collector out = readAll(config("labelColumn", "label"));
    assertThat(out.failedIds(), contains("pairs/0000001", "pairs/0000002"));
    assertThat(out.failures.get(0).error.getMessage(), is("label 'seven' is not an integer"));
    assertEquals(4, out.samples.get(0).getLabel());
  }

  @Test
  public void configErrorsNameTheKey() {
    assertEquals("csv", key(Map.of()));
    assertEquals("csv", key(Map.of("csv", "")));
    assertEquals("delimiter", key(Map.of("csv", "a.csv", "delimiter", ";;")));
    assertEquals("delimiter", key(Map.of("csv", "a.csv", "delimiter", "\"")));
    assertEquals("captionColumn", key(Map.of("csv", "a.csv", "captionColumn", "image")));
    assertEquals("labelColumn", key(Map.of("csv", "a.csv", "labelColumn", "caption")));
    assertEquals("resize", key(Map.of("csv", "a.csv", "resize", -3)));
    assertEquals("splitSize", key(Map.of("csv", "a.csv", "splitSize", 0)));
    assertEquals("limit", key(Map.of("csv", "a.csv", "limit", -1)));
    assertEquals("images", key(Map.of("csv", "a.csv", "images", "x")));
    PairsCsvConfig c = PairsCsvConfig.from(Map.of("csv", "a.csv", "delimiter", "\\t"));
    assertEquals('\t', c.delimiter());
    assertEquals("image", c.imageColumn());
    assertEquals("caption", c.captionColumn());
    assertEquals(1000, c.splitSize());
    assertEquals(0, c.resize());
    assertEquals("PairsCsvSource", new PairsCsvSource().type());
  }

  private static String key(Map<String, Object> raw) {
    return assertThrows(ConfigException.class, () -> PairsCsvConfig.from(raw)).key();
  }
}
