package org.abdflow.plugins.idx;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.Seeds;
import org.abdflow.api.SourceContext;
import org.abdflow.api.config.ConfigException;
import org.abdflow.schema.Sample;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class IdxSourceTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final int ROWS = 3;
  private static final int COLS = 2;
  private static final int[] LABELS = {9, 0, 0, 3, 1};

  private final IdxSource source = new IdxSource();
  private Path root;
  private SourceContext context;

  @Before
  public void setUp() {
    root = tmp.getRoot().toPath();
    context = Collector.context(root, 7L, "train");
  }

  /** Image i has every pixel equal to 10 * i + its position, so each record is recognisable. */
  private static byte[] pixels(int i) {
    byte[] p = new byte[ROWS * COLS];
    for (int k = 0; k < p.length; k++) {
      p[k] = (byte) (10 * i + k);
    }
    return p;
  }

  private static byte[] imagesFile(int promised, int actual) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(0x00000803);
    d.writeInt(promised);
    d.writeInt(ROWS);
    d.writeInt(COLS);
    for (int i = 0; i < actual; i++) {
      d.write(pixels(i));
    }
    return b.toByteArray();
  }

  private static byte[] labelsFile(int promised, int[] labels) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(0x00000801);
    d.writeInt(promised);
    for (int l : labels) {
      d.write(l);
    }
    return b.toByteArray();
  }

  private Path write(String name, byte[] data, boolean gzip) throws IOException {
    Path p = root.resolve(name);
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
      out.write(data);
    }
    return p;
  }

  private static IdxSourceConfig config(Object... kv) {
    Map<String, Object> raw = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      raw.put((String) kv[i], kv[i + 1]);
    }
    return IdxSourceConfig.from(raw);
  }

  private Collector readAll(IdxSourceConfig config) throws IOException {
    Collector out = new Collector();
    for (String split : source.splits(config, context)) {
      source.read(split, config, context, out);
    }
    return out;
  }

  private static String expectedCaption(long seed, String stage, String id, String className) {
    SplittableRandom rng = new SplittableRandom(Seeds.forRecord(seed, stage, id));
    return PromptTemplates.fill(PromptTemplates.SIMPLE.get(rng.nextInt(PromptTemplates.SIMPLE.size())), className);
  }

  private void checkGood(Collector out) {
    assertThat(out.failures, is(empty()));
    assertThat(out.ids(), contains("train/00000", "train/00001", "train/00002", "train/00003", "train/00004"));
    for (int i = 0; i < 5; i++) {
      Sample s = out.samples.get(i);
      assertEquals(ROWS, s.getHeight());
      assertEquals(COLS, s.getWidth());
      assertEquals(1, s.getChannels());
      assertArrayEquals(pixels(i), Collector.bytes(s.getPixels()));
      assertEquals(LABELS[i], s.getLabel());
      assertEquals(IdxSourceConfig.FASHION_MNIST.get(LABELS[i]), s.getClassName());
      assertEquals(expectedCaption(7L, "train", s.getId(), s.getClassName()), s.getCaption());
    }
    assertEquals("t-shirt", out.samples.get(1).getClassName());
    assertEquals("ankle boot", out.samples.get(0).getClassName());
    assertThat(out.samples.get(0).getCaption(), containsString("ankle boot"));
  }

  @Test
  public void readsPlainFilesInSplits() throws IOException {
    write("images", imagesFile(5, 5), false);
    write("labels", labelsFile(5, LABELS), false);
    IdxSourceConfig config = config("images", "images", "labels", "labels", "splitSize", 2);
    assertThat(source.splits(config, context), contains("0-1", "2-3", "4-4"));
    checkGood(readAll(config));
  }

  @Test
  public void readsGzipByMagicBytesNotByName() throws IOException {
    write("images.idx", imagesFile(5, 5), true);
    write("labels.gz", labelsFile(5, LABELS), false); // a plain file named .gz
    IdxSourceConfig config = config("images", "images.idx", "labels", "labels.gz", "splitSize", 3);
    assertThat(source.splits(config, context), contains("0-2", "3-4"));
    checkGood(readAll(config));
  }

  @Test
  public void captionsAreDeterministicAndDependOnTheSeed() throws IOException {
    write("images.gz", imagesFile(5, 5), true);
    write("labels.gz", labelsFile(5, LABELS), true);
    IdxSourceConfig config = config("images", "images.gz", "labels", "labels.gz");
    List<String> first = captions(readAll(config));
    assertEquals(first, captions(readAll(config)));
    List<String> other = new ArrayList<>();
    for (long seed = 8; seed < 12; seed++) {
      Collector out = new Collector();
      SourceContext c = Collector.context(root, seed, "train");
      source.read("0-4", config, c, out);
      other.addAll(captions(out));
    }
    assertThat(other.equals(first), is(false));
  }

  private static List<String> captions(Collector out) {
    List<String> c = new ArrayList<>();
    out.samples.forEach(s -> c.add(s.getCaption()));
    return c;
  }

  @Test
  public void withoutLabelsThereAreNoClassesOrCaptions() throws IOException {
    write("images", imagesFile(5, 5), false);
    Collector out = readAll(config("images", "images"));
    assertThat(out.failures, is(empty()));
    assertEquals(5, out.samples.size());
    for (Sample s : out.samples) {
      assertEquals(-1, s.getLabel());
      assertThat(s.getClassName(), is(nullValue()));
      assertEquals("", s.getCaption());
    }
  }

  @Test
  public void limitResizeNoneAndCustomNames() throws IOException {
    write("images", imagesFile(5, 5), false);
    write("labels", labelsFile(5, LABELS), false);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      names.add("class " + i);
    }
    IdxSourceConfig config =
        config("images", "images", "labels", "labels", "limit", 3, "resize", 4, "captions", "none", "classNames", names);
    assertThat(source.splits(config, context), contains("0-2"));
    Collector out = readAll(config);
    assertThat(out.ids(), contains("train/00000", "train/00001", "train/00002"));
    for (Sample s : out.samples) {
      assertEquals(4, s.getHeight());
      assertEquals(4, s.getWidth());
      assertEquals(16, s.getPixels().remaining());
      assertEquals("", s.getCaption());
    }
    assertEquals("class 9", out.samples.get(0).getClassName());
  }

  @Test
  public void bicubicResizeIsPillowsAsTheReferencePoisoningScriptsResize() throws IOException {
    write("images", imagesFile(5, 5), false);
    write("labels", labelsFile(5, LABELS), false);
    Collector plain = readAll(config("images", "images", "labels", "labels", "limit", 1));
    Collector bicubic = readAll(config("images", "images", "labels", "labels", "limit", 1, "resize", 9, "resizeFilter", "bicubic"));
    org.abdflow.api.image.Image original = org.abdflow.api.Samples.image(plain.samples.get(0));
    org.abdflow.api.image.Image expected = org.abdflow.api.image.Resize.bicubic(original, 9, 9);
    assertEquals(expected, org.abdflow.api.Samples.image(bicubic.samples.get(0)));
    assertThat(expected, org.hamcrest.Matchers.not(org.abdflow.api.image.Resize.bilinear(original, 9, 9)));
  }

  @Test
  public void ownTemplatesAndMnistNames() throws IOException {
    write("images", imagesFile(5, 5), false);
    write("labels", labelsFile(5, LABELS), false);
    IdxSourceConfig config = config("images", "images", "labels", "labels", "classNames", "mnist",
        "templates", List.of("a {} digit.", "the number {}."));
    Collector out = readAll(config);
    assertEquals("nine", out.samples.get(0).getClassName());
    assertThat(out.samples.get(0).getCaption(), org.hamcrest.Matchers.oneOf("a nine digit.", "the number nine."));
  }

  @Test
  public void imageHeaderPromisingMoreThanTheFileHoldsSendsTheMissingRecordsToFail() throws IOException {
    for (boolean gzip : new boolean[] {false, true}) {
      // header says 5 images; the data stops half-way through image 3
      byte[] full = imagesFile(5, 5);
      byte[] cut = Arrays.copyOf(full, 16 + 3 * ROWS * COLS + 2);
      Path images = write("short-images" + gzip, cut, gzip);
      write("labels" + gzip, labelsFile(5, LABELS), gzip);
      IdxSourceConfig config = config("images", "short-images" + gzip, "labels", "labels" + gzip, "splitSize", 2);
      assertThat(source.splits(config, context), contains("0-1", "2-3", "4-4"));
      Collector out = readAll(config);
      assertThat(out.ids(), contains("train/00000", "train/00001", "train/00002"));
      assertThat(out.failedIds(), contains("train/00003", "train/00004"));
      assertEquals(images + ", image 3", out.failures.get(0).location);
      assertEquals(images + ", image 4", out.failures.get(1).location);
      assertThat(out.failures.get(0).error.getMessage(), containsString("header promises 5 records"));
      assertArrayEquals(Arrays.copyOf(pixels(3), 2), out.failures.get(0).payload);
      assertThat(out.failures.get(1).error.getMessage(), containsString("before record 4"));
    }
  }

  @Test
  public void truncatedLabelFileFailsTheRecordsWithoutLabels() throws IOException {
    write("images", imagesFile(5, 5), false);
    Path labels = write("labels", labelsFile(5, Arrays.copyOf(LABELS, 4)), false);
    Collector out = readAll(config("images", "images", "labels", "labels"));
    assertThat(out.ids(), contains("train/00000", "train/00001", "train/00002", "train/00003"));
    assertThat(out.failedIds(), contains("train/00004"));
    assertEquals(labels + ", label 4", out.failures.get(0).location);
    assertArrayEquals(pixels(4), out.failures.get(0).payload);
  }

  @Test
  public void labelWithoutClassNameFailsThatRecordOnly() throws IOException {
    write("images", imagesFile(5, 5), false);
    Path labels = write("labels", labelsFile(5, new int[] {9, 0, 12, 3, 1}), false);
    Collector out = readAll(config("images", "images", "labels", "labels"));
    assertThat(out.ids(), contains("train/00000", "train/00001", "train/00003", "train/00004"));
    assertThat(out.failedIds(), contains("train/00002"));
    assertEquals(labels + ", label 2", out.failures.get(0).location);
    assertThat(out.failures.get(0).error.getMessage(), containsString("label 12 has no class name"));
  }

  @Test
  public void badFilesFailBeforeTheRunNamingKeyAndFile() throws IOException {
    Path images = write("images", imagesFile(5, 5), false);
    Path labels = write("labels", labelsFile(4, new int[] {1, 2, 3, 4}), true);

    ConfigException e = assertThrows(ConfigException.class,
        () -> source.splits(config("images", "nope.gz"), context));
    assertEquals("images", e.key());
    assertThat(e.getMessage(), containsString(root.resolve("nope.gz").toString()));

    e = assertThrows(ConfigException.class, () -> source.splits(config("images", "labels"), context));
    assertEquals("images", e.key());
    assertThat(e.getMessage(), containsString(labels + " is not an IDX image file"));
    assertThat(e.getMessage(), containsString("that is a label file"));

    e = assertThrows(ConfigException.class, () -> source.splits(config("images", "images", "labels", "images"), context));
    assertEquals("labels", e.key());
    assertThat(e.getMessage(), containsString(images + " is not an IDX label file"));

    e = assertThrows(ConfigException.class, () -> source.splits(config("images", "images", "labels", "labels"), context));
    assertEquals("labels", e.key());
    assertThat(e.getMessage(), containsString("holds 4 labels but " + images + " holds 5 images"));

    write("short", new byte[] {0, 0, 8}, false);
    e = assertThrows(ConfigException.class, () -> source.splits(config("images", "short"), context));
    assertThat(e.getMessage(), containsString("shorter than the 4-byte magic number"));

    byte[] header = Arrays.copyOf(imagesFile(5, 0), 10);
    write("short-header", header, true);
    e = assertThrows(ConfigException.class, () -> source.splits(config("images", "short-header"), context));
    assertThat(e.getMessage(), containsString("the header ends after 1 of its 3 dimensions"));

    Files.write(root.resolve("fake.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
    e = assertThrows(ConfigException.class, () -> source.splits(config("images", "fake.gz"), context));
    assertEquals("images", e.key());
    assertThat(e.getMessage(), containsString("not readable gzip"));
  }

  @Test
  public void configErrorsNameTheKey() {
    assertEquals("images", key(Map.of()));
    assertEquals("images", key(Map.of("images", " ")));
    assertEquals("classNames", key(Map.of("images", "x", "classNames", "fashion_mnist")));
    assertEquals("classNames", key(Map.of("images", "x", "classNames", List.of("a", "b", "a"))));
    assertEquals("classNames", key(Map.of("images", "x", "classNames", List.of("a", " "))));
    assertEquals("templates", key(Map.of("images", "x", "templates", "fancy")));
    assertEquals("templates", key(Map.of("images", "x", "templates", List.of("a {}", "no placeholder"))));
    assertEquals("captions", key(Map.of("images", "x", "captions", "templates")));
    assertEquals("resize", key(Map.of("images", "x", "resize", -1)));
    assertEquals("resizeFilter", key(Map.of("images", "x", "resizeFilter", "lanczos")));
    assertEquals("splitSize", key(Map.of("images", "x", "splitSize", 0)));
    assertEquals("limit", key(Map.of("images", "x", "limit", "ten")));
    assertEquals("label", key(Map.of("images", "x", "label", "y")));
    assertEquals("labels", key(Map.of("images", "x", "labels", "")));
  }

  private static String key(Map<String, Object> raw) {
    return assertThrows(ConfigException.class, () -> IdxSourceConfig.from(raw)).key();
  }

  @Test
  public void defaults() {
    IdxSourceConfig c = config("images", "x");
    assertEquals(IdxSourceConfig.FASHION_MNIST, c.classNames());
    assertEquals(PromptTemplates.SIMPLE, c.templates());
    assertEquals(IdxSourceConfig.Captions.TEMPLATE, c.captions());
    assertEquals(0, c.resize());
    assertEquals("bilinear", c.resizeFilter());
    assertEquals(1000, c.splitSize());
    assertThat(c.limit(), is(nullValue()));
    assertThat(c.labels(), is(nullValue()));
    assertEquals("IdxSource", source.type());
    assertThat(source.configure(IdxSourceConfig.SCHEMA.parse(Map.of("images", "x"))), is(c));
  }

  @Test
  public void readsTheCommittedFashionMnistDemo() throws IOException {
    Path demo = Path.of(System.getProperty("abdflow.root", "../.."), "pipelines/data/fashion-mnist-demo");
    org.junit.Assume.assumeTrue("demo data not present", Files.exists(demo.resolve("test-images-idx3-ubyte.gz")));
    SourceContext c = Collector.context(demo, 1L, "test");
    IdxSourceConfig config = config("images", "test-images-idx3-ubyte.gz", "labels", "test-labels-idx1-ubyte.gz");
    Collector out = new Collector();
    for (String split : source.splits(config, c)) {
      source.read(split, config, c, out);
    }
    assertThat(out.failures, is(empty()));
    int[] perClass = new int[10];
    out.samples.forEach(s -> perClass[s.getLabel()]++);
    int n = out.samples.size() / 10;
    assertThat(Arrays.stream(perClass).boxed().collect(java.util.stream.Collectors.toList()), everyItem(is(n)));
    assertThat(n > 0, is(true));
    assertEquals(28, out.samples.get(0).getHeight());
  }
}
