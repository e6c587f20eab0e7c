package org.abdflow.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small IDX files of two easy classes (bright top half / bright bottom half), for end-to-end tests. */
final class TestData {
  private TestData() {}

  static void writeIdx(Path images, Path labels, int n, long seed) throws IOException {
    Random rnd = new Random(seed);
    byte[] px = new byte[n * 28 * 28];
    byte[] lab = new byte[n];
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      lab[i] = (byte) label;
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          boolean bright = label == 0 ? y < 14 : y >= 14;
          int v = (bright ? 200 : 30) + rnd.nextInt(40) - 20;
          px[i * 784 + y * 28 + x] = (byte) v;
        }
      }
    }
    try (DataOutputStream out = new DataOutputStream(gzip(images))) {
      out.writeInt(0x00000803);
      out.writeInt(n);
      out.writeInt(28);
      out.writeInt(28);
      out.write(px);
    }
    try (DataOutputStream out = new DataOutputStream(gzip(labels))) {
      out.writeInt(0x00000801);
      out.writeInt(n);
      out.write(lab);
    }
  }

  private static OutputStream gzip(Path p) throws IOException {
    return new GZIPOutputStream(Files.newOutputStream(p));
  }
}
