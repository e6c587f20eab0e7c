package org.abdflow.plugins.imagefolder;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.Seeds;
import org.abdflow.api.SourceContext;
import org.abdflow.api.config.ConfigException;
import org.abdflow.schema.Sample;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ImageFolderSourceTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final ImageFolderSource source = new ImageFolderSource();
  private Path root;
  private Path imagenet;
  private SourceContext context;
  private final byte[] corrupt = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};

  @Before
  public void setUp() throws IOException {
    root = tmp.getRoot().toPath();
    imagenet = Files.createDirectories(root.resolve("imagenet"));
    context = Collector.context(root, 5L, "eval");
    png("imagenet/tench/b.png", 0x101010);
    png("imagenet/tench/a.PNG", 0x202020);
    Files.write(imagenet.resolve("tench/c.jpg"), corrupt);
    Files.writeString(imagenet.resolve("tench/notes.txt"), "skipped");
    Files.writeString(imagenet.resolve("tench/.DS_Store"), "skipped");
    png("imagenet/great_white_shark/x.bmp", 0x303030);
    Files.createDirectories(imagenet.resolve("goldfish")); // a class without images still counts
    png("imagenet/.hidden/y.png", 0x404040);
  }

  private void png(String name, int rgb) throws IOException {
    Path p = root.resolve(name);
    Files.createDirectories(p.getParent());
    BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 4; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    String n = name.toLowerCase();
    ImageIO.write(img, n.substring(n.lastIndexOf('.') + 1), p.toFile());
  }

  private static ImageFolderConfig config(Object... kv) {
    Map<String, Object> raw = new HashMap<>();
    raw.put("root", "imagenet");
    for (int i = 0; i < kv.length; i += 2) {
      raw.put((String) kv[i], kv[i + 1]);
    }
    return ImageFolderConfig.from(raw);
  }

  private Collector readAll(ImageFolderConfig config) throws IOException {
    Collector out = new Collector();
    for (String split : source.splits(config, context)) {
      source.read(split, config, context, out);
    }
    return out;
  }

  @Test
  public void classFoldersInSortedOrder() throws IOException {
    ImageFolderConfig config = config("splitSize", 2);
    assertThat(source.splits(config, context), contains("label=1,files=0-0,folder=great_white_shark",
        "label=2,files=0-1,folder=tench", "label=2,files=2-2,folder=tench"));
    Collector out = readAll(config);
    assertThat(out.ids(), contains("eval/great_white_shark/x.bmp", "eval/tench/a.PNG", "eval/tench/b.png"));
    assertThat(out.failedIds(), contains("eval/tench/c.jpg"));
    Collector.Failure f = out.failures.get(0);
    assertEquals(imagenet.resolve("tench/c.jpg").toString(), f.location);
    assertArrayEquals(corrupt, f.payload);

    Sample shark = out.samples.get(0);
    assertEquals(1, shark.getLabel());
    assertEquals("great white shark", shark.getClassName());
    assertEquals(3, shark.getHeight());
    assertEquals(4, shark.getWidth());
    assertEquals(3, shark.getChannels());
    assertEquals(0x30, Collector.bytes(shark.getPixels())[0]);
    SplittableRandom rng = new SplittableRandom(Seeds.forRecord(5L, "eval", shark.getId()));
    assertEquals(PromptTemplates.fill(PromptTemplates.SIMPLE.get(rng.nextInt(12)), "great white shark"), shark.getCaption());
    assertEquals(2, out.samples.get(1).getLabel());
    assertEquals("tench", out.samples.get(1).getClassName());
    assertEquals(0x20, Collector.bytes(out.samples.get(1).getPixels())[0]);
  }

  @Test
  public void classNameFileLimitResizeAndNoCaptions() throws IOException {
    Files.writeString(root.resolve("names.txt"), "goldfish\ngreat white shark\ntench, Tinca tinca\n\n");
    ImageFolderConfig config = config("classNames", "names.txt", "limit", 2, "resize", 2, "captions", "none");
    assertThat(source.splits(config, context), contains("label=1,files=0-0,folder=great_white_shark",
        "label=2,files=0-0,folder=tench"));
    Collector out = readAll(config);
    assertThat(out.ids(), contains("eval/great_white_shark/x.bmp", "eval/tench/a.PNG"));
    assertEquals("tench, Tinca tinca", out.samples.get(1).getClassName());
    for (Sample s : out.samples) {
      assertEquals("", s.getCaption());
      assertEquals(2, s.getHeight());
      assertEquals(12, s.getPixels().remaining());
    }
  }

  @Test
  public void imagenetNamesClipsCuratedClassesInWnidOrder() throws IOException {
    // ImageNet's validation layout: 1,000 wnid folders, sorted; label i is CLIP's i-th name
    for (int i = 0; i < 1000; i++) {
      Files.createDirectories(root.resolve(String.format("val/n%08d", i)));
    }
    png(String.format("val/n%08d/ILSVRC2012_val_00000001.png", 954), 0x505050);
    png("val/n00000000/ILSVRC2012_val_00000002.png", 0x606060);
    Map<String, Object> raw = new HashMap<>(Map.of("root", "val", "classNames", "imagenet"));
    ImageFolderConfig config = ImageFolderConfig.from(raw);
    Collector out = readAll(config);
    assertThat(out.samples.stream().map(Sample::getClassName).toList(), contains("tench", "banana"));
    assertEquals(954, out.samples.get(1).getLabel());
    Files.delete(root.resolve(String.format("val/n%08d/ILSVRC2012_val_00000001.png", 954)));
    Files.delete(root.resolve(String.format("val/n%08d", 999)));
    ConfigException e = assertThrows(ConfigException.class, () -> source.splits(config, context));
    assertThat(e.getMessage(), containsString("CLIP's ImageNet list has 1000 class names but"));
  }

  @Test
  public void classNameFileMustMatchTheFolders() throws IOException {
    Files.writeString(root.resolve("two.txt"), "goldfish\nshark\n");
    ConfigException e = assertThrows(ConfigException.class, () -> source.splits(config("classNames", "two.txt"), context));
    assertEquals("classNames", e.key());
    assertThat(e.getMessage(), containsString("has 2 class names but " + imagenet + " has 3 class folders"));

    Files.writeString(root.resolve("gap.txt"), "goldfish\n\ntench\n");
    e = assertThrows(ConfigException.class, () -> source.splits(config("classNames", "gap.txt"), context));
    assertThat(e.getMessage(), containsString("line 2 is empty"));

    e = assertThrows(ConfigException.class, () -> source.splits(config("classNames", "none.txt"), context));
    assertEquals("classNames", e.key());
    assertThat(e.getMessage(), containsString("no such file: " + root.resolve("none.txt")));
  }

  @Test
  public void rootProblemsFailBeforeTheRun() throws IOException {
    ConfigException e = assertThrows(ConfigException.class, () -> source.splits(config("root", "nowhere"), context));
    assertEquals("root", e.key());
    assertThat(e.getMessage(), containsString("no such folder: " + root.resolve("nowhere")));
    Files.createDirectories(root.resolve("flat"));
    e = assertThrows(ConfigException.class, () -> source.splits(config("root", "flat"), context));
    assertEquals("root", e.key());
    assertThat(e.getMessage(), containsString("has no class folders"));
    e = assertThrows(ConfigException.class, () -> source.splits(config("layout", "labels-csv"), context));
    assertEquals("layout", e.key());
  }

  @Test
  public void labelsCsvLayout() throws IOException {
    Path val = Files.createDirectories(root.resolve("val"));
    png("val/images/v1.png", 0x111111);
    png("val/images/v2.png", 0x222222);
    Files.write(val.resolve("images/v3.png"), corrupt);
    png("outside.png", 0x333333);
    Files.writeString(val.resolve("labels.csv"), "image,label\n"
        + "images/v1.png,2\n"
        + "images/v2.png,0\n"
        + "images/v3.png,1\n"
        + "../outside.png,1\n"
        + "images/v1.png,7\n"
        + "images/v1.png,x\n"
        + "images/v4.png,1\n");
    Files.writeString(root.resolve("names.txt"), "goldfish\ngreat white shark\ntench\n", StandardCharsets.UTF_8);
    ImageFolderConfig config = config("root", "val", "classNames", "names.txt", "splitSize", 4);
    assertThat(source.splits(config, context), contains("rows=1-4,offset=12,line=2", "rows=5-7,offset=77,line=6"));
    Collector out = readAll(config);
    assertThat(out.ids(), contains("eval/0000001", "eval/0000002"));
    assertThat(out.failedIds(), contains("eval/0000003", "eval/0000004", "eval/0000005", "eval/0000006", "eval/0000007"));
    assertEquals("tench", out.samples.get(0).getClassName());
    assertEquals(2, out.samples.get(0).getLabel());
    assertThat(out.samples.get(0).getCaption(), containsString("tench"));
    assertEquals(val.resolve("labels.csv") + ": row 4 (line 5)", out.failures.get(1).location);
    assertEquals("../outside.png,1", new String(out.failures.get(1).payload, StandardCharsets.UTF_8));
    assertThat(out.failures.get(1).error.getMessage(), containsString("leaves"));
    assertThat(out.failures.get(2).error.getMessage(), containsString("label 7 has no class name (3 class names)"));
    assertThat(out.failures.get(3).error.getMessage(), containsString("label 'x' is not an integer"));
    assertThat(out.failures.get(4).error.getMessage(), containsString("v4.png"));

    ConfigException e = assertThrows(ConfigException.class, () -> source.splits(config("root", "val"), context));
    assertEquals("classNames", e.key());
    Collector bare = readAll(config("root", "val", "captions", "none", "limit", 2));
    assertThat(bare.ids(), contains("eval/0000001", "eval/0000002"));
    assertThat(bare.samples.get(0).getClassName(), is(nullValue()));
    assertEquals(2, bare.samples.get(0).getLabel());
    // the folders layout can be forced even with a labels.csv present
    png("val/images/v5.png", 0x555555);
    Collector forced = readAll(config("root", "val", "layout", "folders"));
    assertThat(forced.ids(), contains("eval/images/v1.png", "eval/images/v2.png", "eval/images/v5.png"));
    assertThat(forced.failedIds(), contains("eval/images/v3.png"));
  }

  @Test
  public void filesLinkingOutsideTheRootAreDeadLetteredWithoutTheirBytes() throws IOException {
    png("secret/s.png", 0x777777);
    Files.createSymbolicLink(imagenet.resolve("tench/link.png"), root.resolve("secret/s.png"));
    Files.createSymbolicLink(imagenet.resolve("zebra"), root.resolve("secret")); // a class folder elsewhere
    Collector out = readAll(config());
    assertThat(out.ids(), contains("eval/great_white_shark/x.bmp", "eval/tench/a.PNG", "eval/tench/b.png"));
    assertThat(out.failedIds(), contains("eval/tench/c.jpg", "eval/tench/link.png", "eval/zebra/s.png"));
    Collector.Failure link = out.failures.get(1);
    assertThat(link.error.getMessage(), containsString(imagenet.resolve("tench/link.png") + " links outside the root"));
    assertEquals(0, link.payload.length);
    assertThat(out.failures.get(2).error.getMessage(), containsString("links outside the root"));
    assertEquals(0, out.failures.get(2).payload.length);
    assertEquals("in = out + dead", 6, out.samples.size() + out.failures.size());
  }

  @Test
  public void labelsCsvPathsMayNotLeaveTheRoot() throws IOException {
    Path val = Files.createDirectories(root.resolve("val"));
    png("val/images/v1.png", 0x111111);
    png("outside.png", 0x333333);
    Files.createSymbolicLink(val.resolve("images/link.png"), root.resolve("outside.png"));
    Files.writeString(val.resolve("labels.csv"), "image,label\n"
        + "images/v1.png,0\n"
        + root.resolve("outside.png") + ",0\n"
        + "images/link.png,0\n"
        + "images/../../outside.png,0\n");
    Collector out = readAll(config("root", "val", "captions", "none"));
    assertThat(out.ids(), contains("eval/0000001"));
    assertThat(out.failedIds(), contains("eval/0000002", "eval/0000003", "eval/0000004"));
    assertThat(out.failures.get(0).error.getMessage(), containsString("is absolute"));
    assertThat(out.failures.get(1).error.getMessage(), containsString("links outside"));
    assertThat(out.failures.get(2).error.getMessage(), containsString("leaves"));
    assertEquals(val.resolve("labels.csv") + ": row 3 (line 4)", out.failures.get(1).location);
  }

  @Test
  public void hugeDeclaredImagesAreDeadLetteredBeforeDecoding() throws IOException {
    png("big/c/a.png", 0x101010); // 4 x 3 = 12 pixels
    // a PNG header claiming 2000 x 1000 pixels, and no pixel data
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
        .putInt(2000).putInt(1000).put(new byte[] {8, 2, 0, 0, 0});
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(ihdr.array());
    Files.write(root.resolve("big/c/b.png"), java.nio.ByteBuffer.allocate(33)
        .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array());
    Collector out = readAll(config("root", "big", "maxMegapixels", 1));
    assertThat(out.ids(), contains("eval/c/a.png"));
    assertThat(out.failedIds(), contains("eval/c/b.png"));
    assertThat(out.failures.get(0).error.getMessage(), containsString("is 2000 x 1000 pixels, more than the limit of 1000000"));
    assertEquals(root.resolve("big/c/b.png").toString(), out.failures.get(0).location);
    assertEquals(64, ImageFolderConfig.from(Map.of("root", "x")).maxMegapixels());
    assertThrows(ConfigException.class, () -> config("maxMegapixels", 0));
    assertThrows(ConfigException.class, () -> config("maxMegapixels", 701));
  }

  @Test
  public void configErrorsNameTheKey() {
    assertEquals("root", key(Map.of()));
    assertEquals("root", key(Map.of("root", "")));
    assertEquals("classNames", key(Map.of("root", "r", "classNames", " ")));
    assertEquals("classNames", key(Map.of("root", "r", "classNames", List.of("a", "b"))));
    assertEquals("layout", key(Map.of("root", "r", "layout", "tree")));
    assertEquals("templates", key(Map.of("root", "r", "templates", List.of("a {}", "b"))));
    assertEquals("captions", key(Map.of("root", "r", "captions", "yes")));
    assertEquals("resize", key(Map.of("root", "r", "resize", 5000)));
    assertEquals("splitSize", key(Map.of("root", "r", "splitSize", 0)));
    ImageFolderConfig c = config();
    assertEquals(ImageFolderConfig.Layout.AUTO, c.layout());
    assertEquals(PromptTemplates.SIMPLE, c.templates());
    assertEquals(1000, c.splitSize());
    assertEquals("ImageFolderSource", source.type());
    assertThat(c.classNames(), is(nullValue()));
  }

  private static String key(Map<String, Object> raw) {
    return assertThrows(ConfigException.class, () -> ImageFolderConfig.from(raw)).key();
  }
}
