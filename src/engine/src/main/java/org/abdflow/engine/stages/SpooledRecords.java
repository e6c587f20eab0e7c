package org.abdflow.engine.stages;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.RandomAccess;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;

/**
 * A training stage's records written once to a local file and read back by index, sorted by id:
 * only the ids and file offsets stay in memory, so a stage streams a CC3M-sized set from the
 * runner's grouped (on Flink: spilled) input instead of holding every decoded image. Reads are
 * positional and thread-safe; the list view decodes a record each time it is asked for one.
 */
final class SpooledRecords extends AbstractList<Sample> implements RandomAccess, AutoCloseable {
  private static final AvroCoder<Sample> CODER = Coders.sample();

  private final Path file;
  private final FileChannel channel;
  private final long[] offsets;
  private final int[] lengths;

  private SpooledRecords(Path file, FileChannel channel, long[] offsets, int[] lengths) {
    this.file = file;
    this.channel = channel;
    this.offsets = offsets;
    this.lengths = lengths;
  }

  /** Writes {@code records} to {@code file} (replaced) and opens it, ordered by record id. */
  static SpooledRecords write(Iterable<Sample> records, Path file) throws IOException {
    List<String> ids = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    long offset = 0;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (Sample s : records) {
        buffer.reset();
        CODER.encode(s, buffer);
        buffer.writeTo(out);
        ids.add(s.getId().toString());
        starts.add(offset);
        offset += buffer.size();
      }
    }
    starts.add(offset);
    Integer[] order = new Integer[ids.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparing(ids::get));
    long[] offsets = new long[order.length];
    int[] lengths = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      offsets[i] = starts.get(order[i]);
      lengths[i] = (int) (starts.get(order[i] + 1) - offsets[i]);
    }
    return new SpooledRecords(file, FileChannel.open(file, StandardOpenOption.READ), offsets, lengths);
  }

  /** SHA-256 of the records' encodings in id order: the same for the same records however they arrived. */
  String digest() throws IOException {
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (int i = 0; i < offsets.length; i++) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(lengths[i]);
      while (buf.hasRemaining() && channel.read(buf, offsets[i] + buf.position()) >= 0) {
        // positional reads may return fewer bytes
      }
      md.update(buf.flip());
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  @Override
  public Sample get(int index) {
    ByteBuffer bytes = ByteBuffer.allocate(lengths[index]);
    try {
      long position = offsets[index];
      while (bytes.hasRemaining()) {
        int n = channel.read(bytes, position);
        if (n < 0) {
          throw new IOException(file + " ends before record " + index);
        }
        position += n;
      }
      return CODER.decode(new ByteArrayInputStream(bytes.array()));
    } catch (IOException e) {
      throw new UncheckedIOException("reading spooled record " + index + " from " + file, e);
    }
  }

  @Override
  public int size() {
    return offsets.length;
  }

  /** Closes and deletes the file. */
  @Override
  public void close() throws IOException {
    channel.close();
    Files.deleteIfExists(file);
  }
}
