package org.abdflow.engine.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Cuts the demo's class-balanced Fashion-MNIST subset out of the original IDX files, in the same
 * IDX format, gzipped at level 9: three disjoint splits, {@code pretrain} and {@code finetune} from
 * the original training set, {@code test} from the original test set (t10k). Selection is
 * deterministic: pre-training takes the first {@code pretrainPerClass} images of each class in file
 * order, fine-tuning the next {@code finetunePerClass} of each class, test the first {@code
 * testPerClass} of each class of t10k; every split keeps the file order. Output files are written
 * to temporary files and renamed into place, so a reader never sees half a file, and the bytes are
 * the same on every run (gzip's time stamp is 0).
 *
 * <p>Depends on the JDK only, so it also runs as a single source file: {@code java
 * src/engine/src/main/java/org/abdflow/engine/data/IdxSubsetCutter.java [options]} (see {@link #main}).
 */
public final class IdxSubsetCutter {
  /** Where the Debian package {@code dataset-fashion-mnist} installs the originals. */
  public static final String DEFAULT_ORIGINALS = "/usr/share/datasets/fashion-mnist";
  /** Where the demo's subset lives, relative to the repository root. */
  public static final String DEFAULT_OUT = "pipelines/data/fashion-mnist-demo";
  /** Images per class of each split of the committed demo subset (4 : 2 : 1, 2.99 MB gzipped). */
  public static final int PRETRAIN_PER_CLASS = 392;
  public static final int FINETUNE_PER_CLASS = 196;
  public static final int TEST_PER_CLASS = 98;

  static final int IMAGES_MAGIC = 0x00000803;
  static final int LABELS_MAGIC = 0x00000801;

  private IdxSubsetCutter() {}

  /**
   * {@code [--originals DIR] [--out DIR] [--pretrain-per-class N] [--finetune-per-class N]
   * [--test-per-class N]}; prints each file with its records and bytes.
   */
  public static void main(String[] args) throws IOException {
    Path originals = Path.of(DEFAULT_ORIGINALS);
    Path out = Path.of(DEFAULT_OUT);
    int pretrain = PRETRAIN_PER_CLASS;
    int finetune = FINETUNE_PER_CLASS;
    int test = TEST_PER_CLASS;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println("usage: IdxSubsetCutter [--originals DIR (" + DEFAULT_ORIGINALS + ")] [--out DIR (" + DEFAULT_OUT
            + ")] [--pretrain-per-class N (" + PRETRAIN_PER_CLASS + ")] [--finetune-per-class N (" + FINETUNE_PER_CLASS
            + ")] [--test-per-class N (" + TEST_PER_CLASS + ")]");
        return;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--originals":
          originals = Path.of(v);
          break;
        case "--out":
          out = Path.of(v);
          break;
        case "--pretrain-per-class":
          pretrain = Integer.parseInt(v);
          break;
        case "--finetune-per-class":
          finetune = Integer.parseInt(v);
          break;
        case "--test-per-class":
          test = Integer.parseInt(v);
          break;
        default:
          throw new IllegalArgumentException("unknown option " + a + " (try --help)");
      }
    }
    Map<String, Integer> counts = cutFashionMnistDemo(originals, out, pretrain, finetune, test);
    long total = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      for (String kind : new String[] {"images-idx3", "labels-idx1"}) {
        Path f = out.resolve(e.getKey() + "-" + kind + "-ubyte.gz");
        long size = Files.size(f);
        total += size;
        System.out.printf("%-40s %6d records %9d bytes%n", f, e.getValue(), size);
      }
    }
    System.out.printf("%-40s %6d records %9d bytes%n", "total", counts.values().stream().mapToInt(Integer::intValue).sum(), total);
  }

  /**
   * Writes {@code pretrain-*}, {@code finetune-*} and {@code test-*} ({@code -images-idx3-ubyte.gz}
   * and {@code -labels-idx1-ubyte.gz}) to {@code outDir} from the originals in {@code originalsDir}
   * ({@code train-*} and {@code t10k-*}, plain or gzipped). Returns the records per split, in the
   * order pretrain, finetune, test.
   */
  public static Map<String, Integer> cutFashionMnistDemo(Path originalsDir, Path outDir, int pretrainPerClass,
      int finetunePerClass, int testPerClass) throws IOException {
    if (pretrainPerClass < 0 || finetunePerClass < 0 || testPerClass < 0) {
      throw new IllegalArgumentException("images per class must not be negative");
    }
    Idx train = Idx.read(originalsDir.resolve("train-images-idx3-ubyte.gz"), originalsDir.resolve("train-labels-idx1-ubyte.gz"));
    Idx t10k = Idx.read(originalsDir.resolve("t10k-images-idx3-ubyte.gz"), originalsDir.resolve("t10k-labels-idx1-ubyte.gz"));
    int classes = Math.max(train.classes(), t10k.classes());
    Map<String, Integer> counts = new LinkedHashMap<>();
    Files.createDirectories(outDir);
    counts.put("pretrain", write(outDir, "pretrain", train, firstPerClass(train, classes, 0, pretrainPerClass)));
    counts.put("finetune", write(outDir, "finetune", train, firstPerClass(train, classes, pretrainPerClass, finetunePerClass)));
    counts.put("test", write(outDir, "test", t10k, firstPerClass(t10k, classes, 0, testPerClass)));
    return counts;
  }

  /**
   * Indices, in file order, of the images that come after the first {@code skip} of their class and
   * within its first {@code skip + take}; fails if a class has fewer than {@code skip + take}.
   */
  static int[] firstPerClass(Idx idx, int classes, int skip, int take) {
    int[] seen = new int[classes];
    List<Integer> chosen = new ArrayList<>();
    for (int i = 0; i < idx.count; i++) {
      int c = idx.labels[i] & 0xff;
      if (seen[c] >= skip && seen[c] < skip + take) {
        chosen.add(i);
      }
      seen[c]++;
    }
    for (int c = 0; c < classes; c++) {
      if (seen[c] < skip + take) {
        throw new IllegalArgumentException(idx.labelsFile + ": class " + c + " has " + seen[c] + " images, "
            + (skip + take) + " are needed (" + skip + " taken by an earlier split + " + take + ")");
      }
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Writes the chosen records as {@code <prefix>-images-idx3-ubyte.gz} and {@code <prefix>-labels-idx1-ubyte.gz}. */
  static int write(Path outDir, String prefix, Idx src, int[] indices) throws IOException {
    int n = indices.length;
    int bytes = src.rows * src.cols;
    writeAtomically(outDir.resolve(prefix + "-images-idx3-ubyte.gz"), out -> {
      out.writeInt(IMAGES_MAGIC);
      out.writeInt(n);
      out.writeInt(src.rows);
      out.writeInt(src.cols);
      for (int i : indices) {
        out.write(src.images, src.headerBytes + i * bytes, bytes);
      }
    });
    writeAtomically(outDir.resolve(prefix + "-labels-idx1-ubyte.gz"), out -> {
      out.writeInt(LABELS_MAGIC);
      out.writeInt(n);
      for (int i : indices) {
        out.write(src.labels[i]);
      }
    });
    return n;
  }

  /** What to write into a file. */
  interface Content {
    void writeTo(DataOutputStream out) throws IOException;
  }

  /** Writes gzip (level 9) to a temporary file beside {@code target}, then renames it over the target. */
  static void writeAtomically(Path target, Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new Gzip9(Files.newOutputStream(tmp)), 1 << 16))) {
        content.writeTo(out);
      }
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        // createTempFile makes the file private; the data is for everyone who can read the folder
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A gzip stream at {@link Deflater#BEST_COMPRESSION}. */
  static final class Gzip9 extends GZIPOutputStream {
    Gzip9(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_COMPRESSION);
    }
  }

  /** An IDX image file and its label file, read whole (decompressed). */
  static final class Idx {
    final Path imagesFile;
    final Path labelsFile;
    final byte[] images;
    final byte[] labels;
    final int headerBytes = 16;
    final int count;
    final int rows;
    final int cols;

    private Idx(Path imagesFile, Path labelsFile, byte[] images, byte[] labels, int count, int rows, int cols) {
      this.imagesFile = imagesFile;
      this.labelsFile = labelsFile;
      this.images = images;
      this.labels = labels;
      this.count = count;
      this.rows = rows;
      this.cols = cols;
    }

    /** Reads both files (gzip recognised by its magic bytes) and checks their headers and sizes. */
    static Idx read(Path imagesFile, Path labelsFile) throws IOException {
      byte[] img = readMaybeGzip(imagesFile);
      byte[] lab = readMaybeGzip(labelsFile);
      ByteBuffer ib = ByteBuffer.wrap(img);
      ByteBuffer lb = ByteBuffer.wrap(lab);
      if (img.length < 16 || ib.getInt(0) != IMAGES_MAGIC) {
        throw new IOException(imagesFile + " is not an IDX image file (magic 0x00000803)");
      }
      if (lab.length < 8 || lb.getInt(0) != LABELS_MAGIC) {
        throw new IOException(labelsFile + " is not an IDX label file (magic 0x00000801)");
      }
      int count = ib.getInt(4);
      int rows = ib.getInt(8);
      int cols = ib.getInt(12);
      if (count < 0 || rows <= 0 || cols <= 0 || img.length != 16L + (long) count * rows * cols) {
        throw new IOException(imagesFile + ": header says " + count + " images of " + rows + " x " + cols
            + " but the data is " + (img.length - 16) + " bytes");
      }
      if (lb.getInt(4) != count || lab.length != 8 + count) {
        throw new IOException(labelsFile + ": header says " + lb.getInt(4) + " labels, data " + (lab.length - 8)
            + " bytes; " + imagesFile + " has " + count + " images");
      }
      return new Idx(imagesFile, labelsFile, img, Arrays.copyOfRange(lab, 8, lab.length), count, rows, cols);
    }

    /** One more than the largest label. */
    int classes() {
      int max = -1;
      for (byte b : labels) {
        max = Math.max(max, b & 0xff);
      }
      return max + 1;
    }

    private static byte[] readMaybeGzip(Path file) throws IOException {
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        raw.mark(2);
        boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
      }
    }
  }
}
