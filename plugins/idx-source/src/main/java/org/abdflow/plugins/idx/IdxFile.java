package org.abdflow.plugins.idx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * The header of one IDX file (LeCun's MNIST format: big-endian magic {@code 0x000008NN} where 08 is
 * unsigned bytes and NN the number of dimensions, then one int per dimension, then the data), and
 * a way to open it at a record. Gzip is recognised by its magic bytes, not by the file name.
 */
final class IdxFile {
  static final int IMAGES_MAGIC = 0x00000803;
  static final int LABELS_MAGIC = 0x00000801;
  private static final int BUFFER = 1 << 16;
  /** A sanity bound on one record (an image of 8192 x 8192), so a corrupt header fails cleanly. */
  private static final long MAX_RECORD_BYTES = 1L << 26;

  final Path path;
  final boolean gzipped;
  final int count;
  /** Rows and columns of an image; 1 x 1 for a label file. */
  final int rows;
  final int cols;
  final int headerBytes;

  private IdxFile(Path path, boolean gzipped, int count, int rows, int cols, int headerBytes) {
    this.path = path;
    this.gzipped = gzipped;
    this.count = count;
    this.rows = rows;
    this.cols = cols;
    this.headerBytes = headerBytes;
  }

  /** Bytes per record. */
  int recordBytes() {
    return rows * cols;
  }

  /** Reads and checks the header of an image file ({@code 0x00000803}, count, rows, columns). */
  static IdxFile images(Path path) throws IOException {
    return open(path, IMAGES_MAGIC);
  }

  /** Reads and checks the header of a label file ({@code 0x00000801}, count). */
  static IdxFile labels(Path path) throws IOException {
    return open(path, LABELS_MAGIC);
  }

  private static IdxFile open(Path path, int expectedMagic) throws IOException {
    String kind = expectedMagic == IMAGES_MAGIC ? "an IDX image file (idx3-ubyte)" : "an IDX label file (idx1-ubyte)";
    boolean gz = isGzip(path);
    try (DataInputStream in = new DataInputStream(open(path, gz))) {
      int magic;
      try {
        magic = in.readInt();
      } catch (EOFException e) {
        throw new BadIdxException(path + " is not " + kind + ": it is shorter than the 4-byte magic number");
      }
      if (magic != expectedMagic) {
        String what = magic == IMAGES_MAGIC ? " (that is an image file)" : magic == LABELS_MAGIC ? " (that is a label file)" : "";
        throw new BadIdxException(String.format("%s is not %s: magic number 0x%08x%s, expected 0x%08x",
            path, kind, magic, what, expectedMagic));
      }
      int dims = expectedMagic & 0xff;
      int[] size = new int[dims];
      for (int d = 0; d < dims; d++) {
        try {
          size[d] = in.readInt();
        } catch (EOFException e) {
          throw new BadIdxException(path + " is not " + kind + ": the header ends after " + d + " of its " + dims + " dimensions");
        }
        if (size[d] < 0 || (d > 0 && size[d] == 0)) {
          throw new BadIdxException(path + ": dimension " + d + " of the header is " + size[d]);
        }
      }
      int rows = dims == 3 ? size[1] : 1;
      int cols = dims == 3 ? size[2] : 1;
      if ((long) rows * cols > MAX_RECORD_BYTES) {
        throw new BadIdxException(path + ": images of " + rows + " x " + cols + " are implausibly large (corrupt header?)");
      }
      return new IdxFile(path, gz, size[0], rows, cols, 4 + 4 * dims);
    } catch (java.util.zip.ZipException e) {
      throw new BadIdxException(path + " looks gzipped but is not readable gzip: " + e.getMessage());
    }
  }

  /**
   * The stream positioned at record {@code index}. Plain files seek; gzipped files decompress and
   * skip. Throws {@link EOFException} when the file ends before that record.
   */
  InputStream openAt(long index) throws IOException {
    long offset = headerBytes + index * recordBytes();
    if (!gzipped) {
      FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
      try {
        if (ch.size() < offset) {
          throw new EOFException(path + " ends after " + ch.size() + " bytes, before record " + index + " (byte " + offset + ")");
        }
        ch.position(offset);
        return new BufferedInputStream(Channels.newInputStream(ch), BUFFER);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }
    InputStream in = open(path, true);
    try {
      long skipped = skip(in, offset);
      if (skipped < offset) {
        throw new EOFException(path + " ends after " + skipped + " decompressed bytes, before record " + index + " (byte " + offset + ")");
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Expected size of the data, header included, as the header promises it. */
  long promisedBytes() {
    return headerBytes + (long) count * recordBytes();
  }

  private static long skip(InputStream in, long n) throws IOException {
    byte[] scratch = new byte[BUFFER];
    long done = 0;
    while (done < n) {
      int r = in.read(scratch, 0, (int) Math.min(scratch.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  static boolean isGzip(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static InputStream open(Path path, boolean gz) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(path), BUFFER);
    if (!gz) {
      return raw;
    }
    try {
      return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  /** A header that is not a valid IDX header. */
  static final class BadIdxException extends IOException {
    private static final long serialVersionUID = 1L;

    BadIdxException(String message) {
      super(message);
    }
  }
}
