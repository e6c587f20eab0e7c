package org.abdflow.engine.data;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class IdxSubsetCutterTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final int ROWS = 2;
  private static final int COLS = 3;

  /** Fake originals: image i is filled with bytes derived from (set, i); labels cycle unevenly. */
  private static void original(Path dir, String set, int count, boolean gzip) throws IOException {
    ByteArrayOutputStream img = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(img);
    d.writeInt(0x803);
    d.writeInt(count);
    d.writeInt(ROWS);
    d.writeInt(COLS);
    ByteArrayOutputStream lab = new ByteArrayOutputStream();
    DataOutputStream l = new DataOutputStream(lab);
    l.writeInt(0x801);
    l.writeInt(count);
    for (int i = 0; i < count; i++) {
      for (int k = 0; k < ROWS * COLS; k++) {
        d.write(pixel(set, i, k));
      }
      l.write(label(i));
    }
    write(dir.resolve(set + "-images-idx3-ubyte.gz"), img.toByteArray(), gzip);
    write(dir.resolve(set + "-labels-idx1-ubyte.gz"), lab.toByteArray(), gzip);
  }

  private static int pixel(String set, int i, int k) {
    return (set.hashCode() + 31 * i + k) & 0xff;
  }

  /** Classes 0..9, class 0 twice as often as the others, in a shuffled-looking order. */
  private static int label(int i) {
    int r = (i * 7) % 11;
    return r == 10 ? 0 : r;
  }

  private static void write(Path p, byte[] data, boolean gzip) throws IOException {
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
      out.write(data);
    }
  }

  private static byte[] gunzip(Path p) throws IOException {
    byte[] raw = Files.readAllBytes(p);
    assertEquals("gzip magic " + p, 0x1f, raw[0] & 0xff);
    assertEquals(0x8b, raw[1] & 0xff);
    byte[] data;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
      data = in.readAllBytes();
    }
    // compressed at level 9: the deflate stream (between the 10-byte header and the 8-byte
    // trailer) is exactly what a level-9 Deflater makes of the data
    java.util.zip.Deflater d = new java.util.zip.Deflater(9, true);
    d.setInput(data);
    d.finish();
    byte[] buf = new byte[data.length + 1024];
    int n = 0;
    while (!d.finished()) {
      n += d.deflate(buf, n, buf.length - n);
    }
    d.end();
    assertArrayEquals("level-9 deflate " + p, java.util.Arrays.copyOf(buf, n), java.util.Arrays.copyOfRange(raw, 10, raw.length - 8));
    return data;
  }

  @Test
  public void cutsBalancedDisjointSplitsInFileOrder() throws IOException {
    Path orig = tmp.newFolder("orig").toPath();
    original(orig, "train", 120, true);
    original(orig, "t10k", 50, false); // plain files with .gz names are read too
    Path out = tmp.getRoot().toPath().resolve("out/demo");

    Map<String, Integer> counts = IdxSubsetCutter.cutFashionMnistDemo(orig, out, 4, 2, 3);
    assertEquals(List.of("pretrain", "finetune", "test"), new ArrayList<>(counts.keySet()));
    assertEquals(40, (int) counts.get("pretrain"));
    assertEquals(20, (int) counts.get("finetune"));
    assertEquals(30, (int) counts.get("test"));

    List<Integer> pre = check(out, "pretrain", "train", 120, 0, 4);
    List<Integer> fine = check(out, "finetune", "train", 120, 4, 2);
    check(out, "test", "t10k", 50, 0, 3);
    Set<Integer> overlap = new HashSet<>(pre);
    overlap.retainAll(fine);
    assertThat(overlap, is(empty()));
    try (var files = Files.list(out)) {
      assertEquals("six files, no temporary ones left", 6, files.count());
    }

    // the same bytes on every run
    byte[] first = Files.readAllBytes(out.resolve("pretrain-images-idx3-ubyte.gz"));
    IdxSubsetCutter.cutFashionMnistDemo(orig, out, 4, 2, 3);
    assertArrayEquals(first, Files.readAllBytes(out.resolve("pretrain-images-idx3-ubyte.gz")));
  }

  /**
   * Checks one split: header, class balance, and that it holds exactly the images after the first
   * {@code skip} of each class, {@code take} per class, in file order; returns their original indices.
   */
  private static List<Integer> check(Path out, String split, String set, int originals, int skip, int take) throws IOException {
    List<Integer> expected = new ArrayList<>();
    int[] seen = new int[10];
    for (int i = 0; i < originals; i++) {
      int c = label(i);
      if (seen[c] >= skip && seen[c] < skip + take) {
        expected.add(i);
      }
      seen[c]++;
    }
    ByteBuffer img = ByteBuffer.wrap(gunzip(out.resolve(split + "-images-idx3-ubyte.gz")));
    ByteBuffer lab = ByteBuffer.wrap(gunzip(out.resolve(split + "-labels-idx1-ubyte.gz")));
    assertEquals(0x803, img.getInt());
    assertEquals(expected.size(), img.getInt());
    assertEquals(ROWS, img.getInt());
    assertEquals(COLS, img.getInt());
    assertEquals(0x801, lab.getInt());
    assertEquals(expected.size(), lab.getInt());
    assertEquals(16 + expected.size() * ROWS * COLS, img.capacity());
    assertEquals(8 + expected.size(), lab.capacity());
    int[] perClass = new int[10];
    for (int i : expected) {
      int c = lab.get() & 0xff;
      assertEquals(label(i), c);
      perClass[c]++;
      for (int k = 0; k < ROWS * COLS; k++) {
        assertEquals(split + " image from original " + i, pixel(set, i, k), img.get() & 0xff);
      }
    }
    for (int c = 0; c < 10; c++) {
      assertEquals(split + " class " + c, take, perClass[c]);
    }
    return expected;
  }

  @Test
  public void tooFewImagesOfAClassIsAnError() throws IOException {
    Path orig = tmp.newFolder("orig").toPath();
    original(orig, "train", 120, true);
    original(orig, "t10k", 50, true);
    Path out = tmp.getRoot().toPath().resolve("out");
    // 120 images: class 0 has 20, classes 1..9 have 11 or 10
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IdxSubsetCutter.cutFashionMnistDemo(orig, out, 8, 4, 1));
    assertThat(e.getMessage(), containsString("are needed (8 taken by an earlier split + 4)"));
    assertThat(e.getMessage(), containsString("train-labels-idx1-ubyte.gz"));
  }

  @Test
  public void badOriginalsAreNamed() throws IOException {
    Path orig = tmp.newFolder("orig").toPath();
    original(orig, "train", 120, true);
    original(orig, "t10k", 50, true);
    write(orig.resolve("t10k-images-idx3-ubyte.gz"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0}, true);
    IOException e = assertThrows(IOException.class,
        () -> IdxSubsetCutter.cutFashionMnistDemo(orig, tmp.getRoot().toPath().resolve("o"), 1, 1, 1));
    assertThat(e.getMessage(), containsString("t10k-images-idx3-ubyte.gz is not an IDX image file"));
  }

  @Test
  public void theCommittedDemoIsBalanced() throws IOException {
    Path demo = Path.of(System.getProperty("abdflow.root", "../.."), IdxSubsetCutter.DEFAULT_OUT);
    org.junit.Assume.assumeTrue(Files.exists(demo.resolve("test-labels-idx1-ubyte.gz")));
    long total = 0;
    for (String split : List.of("pretrain", "finetune", "test")) {
      byte[] labels = gunzip(demo.resolve(split + "-labels-idx1-ubyte.gz"));
      Map<Integer, Long> perClass = new java.util.TreeMap<>();
      for (int i = 8; i < labels.length; i++) {
        perClass.merge(labels[i] & 0xff, 1L, Long::sum);
      }
      assertEquals(split, 10, perClass.size());
      assertEquals(split + " " + perClass, 1, perClass.values().stream().distinct().count());
      total += Files.size(demo.resolve(split + "-images-idx3-ubyte.gz")) + Files.size(demo.resolve(split + "-labels-idx1-ubyte.gz"));
    }
    assertThat("demo data <= 3 MB", total <= 3_000_000L, is(true));
    assertThat(perSplit(demo), is(List.of(IdxSubsetCutter.PRETRAIN_PER_CLASS * 10, IdxSubsetCutter.FINETUNE_PER_CLASS * 10,
        IdxSubsetCutter.TEST_PER_CLASS * 10)));
  }

  private static List<Integer> perSplit(Path demo) throws IOException {
    List<Integer> n = new ArrayList<>();
    for (String split : List.of("pretrain", "finetune", "test")) {
      n.add(gunzip(demo.resolve(split + "-labels-idx1-ubyte.gz")).length - 8);
    }
    return n.stream().collect(Collectors.toList());
  }
}
