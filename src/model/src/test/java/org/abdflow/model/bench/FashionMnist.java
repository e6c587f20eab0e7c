package org.abdflow.model.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.abdflow.api.image.Image;

/** Fashion-MNIST from the Debian package's IDX files (28×28 grey). */
final class FashionMnist {
  static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  static final List<String> CLASSES =
      List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  final List<Image> images;
  final int[] labels;

  private FashionMnist(List<Image> images, int[] labels) {
    this.images = images;
    this.labels = labels;
  }

  /** {@code split} is {@code train} or {@code t10k}. */
  static FashionMnist read(Path dir, String split) throws IOException {
    List<Image> images = new ArrayList<>();
    try (DataInputStream in = open(dir.resolve(split + "-images-idx3-ubyte.gz"))) {
      check(in.readInt(), 2051);
      int n = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      for (int i = 0; i < n; i++) {
        byte[] px = new byte[rows * cols];
        in.readFully(px);
        images.add(Image.wrap(rows, cols, 1, px));
      }
    }
    int[] labels;
    try (DataInputStream in = open(dir.resolve(split + "-labels-idx1-ubyte.gz"))) {
      check(in.readInt(), 2049);
      labels = new int[in.readInt()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = in.readUnsignedByte();
      }
    }
    if (labels.length != images.size()) {
      throw new IOException("images and labels of " + split + " differ in count");
    }
    return new FashionMnist(images, labels);
  }

  private static DataInputStream open(Path p) throws IOException {
    InputStream raw = Files.newInputStream(p);
    return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
  }

  private static void check(int magic, int expected) throws IOException {
    if (magic != expected) {
      throw new IOException("bad IDX magic " + magic + ", expected " + expected);
    }
  }

  /**
   * Class-balanced, disjoint subsets: {@code sizes[k]} indices for subset k, the same number from
   * each class, drawn from one seeded permutation per class.
   */
  List<int[]> balancedSubsets(long seed, int... sizes) {
    int classes = CLASSES.size();
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      byClass.get(labels[i]).add(i);
    }
    Random rnd = new Random(seed);
    for (List<Integer> l : byClass) {
      java.util.Collections.shuffle(l, rnd);
    }
    List<int[]> out = new ArrayList<>();
    int[] taken = new int[classes];
    for (int size : sizes) {
      int per = size / classes;
      int[] subset = new int[per * classes];
      int k = 0;
      for (int c = 0; c < classes; c++) {
        for (int j = 0; j < per; j++) {
          subset[k++] = byClass.get(c).get(taken[c]++);
        }
      }
      out.add(subset);
    }
    return out;
  }
}
