package org.abdflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named arrays in the safetensors format (what Hugging Face and the conformance files use): an
 * 8-byte little-endian header length, a JSON header of dtype/shape/offsets per name, the raw
 * little-endian bytes.
 */
public final class SafeTensors {
  private SafeTensors() {}

  /** The format's bound on the JSON header; a larger length is a corrupt or hostile file. */
  static final long MAX_HEADER_BYTES = 100L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads every array of {@code file} onto {@code manager}, by name, in the file's header order.
   * The header is checked whole before any array is read: a header length beyond the file, a dtype
   * DJL lacks, data offsets outside the data or overlapping, or a dtype × shape that is not the
   * offsets' byte count fail with the file and tensor named.
   */
  public static Map<String, NDArray> read(NDManager manager, Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      List<Entry> entries = header(file, ch);
      Map<String, NDArray> out = new LinkedHashMap<>();
      for (Entry e : entries) {
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, data, e.dataStart + e.begin, file);
        data.flip();
        NDArray a = manager.create(data, new Shape(e.shape), e.dtype);
        a.setName(e.name);
        out.put(e.name, a);
      }
      return out;
    }
  }

  /** One tensor of the header, checked against the file. */
  private record Entry(String name, DataType dtype, long[] shape, long begin, long end, long dataStart) {}

  private static List<Entry> header(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw bad(file, "is " + size + " bytes, shorter than the 8-byte header length");
    }
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, len, 0, file);
    long n = len.getLong(0);
    if (n < 2 || n > size - 8 || n > MAX_HEADER_BYTES) {
      throw bad(file, "the header length is " + Long.toUnsignedString(n) + " bytes, but the file holds "
          + (size - 8) + " after it" + (n > MAX_HEADER_BYTES ? " (and the format allows " + MAX_HEADER_BYTES + ")" : ""));
    }
    ByteBuffer head = ByteBuffer.allocate((int) n);
    readFully(ch, head, 8, file);
    JsonNode json;
    try {
      json = JSON.readTree(head.array());
    } catch (JsonProcessingException e) {
      throw bad(file, "the header is not JSON: " + e.getOriginalMessage());
    }
    if (json == null || !json.isObject()) {
      throw bad(file, "the header is not a JSON object");
    }
    long dataStart = 8 + n;
    long dataBytes = size - dataStart;
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!f.getKey().equals("__metadata__")) {
        entries.add(entry(file, f.getKey(), f.getValue(), dataStart, dataBytes));
      }
    }
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    for (int i = 1; i < byOffset.size(); i++) {
      Entry a = byOffset.get(i - 1);
      Entry b = byOffset.get(i);
      if (b.begin < a.end) {
        throw bad(file, "tensors '" + a.name + "' [" + a.begin + ", " + a.end + ") and '" + b.name + "' ["
            + b.begin + ", " + b.end + ") overlap");
      }
    }
    return entries;
  }

  private static Entry entry(Path file, String name, JsonNode t, long dataStart, long dataBytes) throws IOException {
    String at = "tensor '" + name + "': ";
    if (!t.isObject() || !t.path("dtype").isTextual() || !t.path("shape").isArray() || !t.path("data_offsets").isArray()) {
      throw bad(file, at + "needs dtype, shape and data_offsets, got " + t);
    }
    DataType dtype;
    try {
      dtype = DataType.fromSafetensors(t.get("dtype").asText());
    } catch (IllegalArgumentException e) {
      throw bad(file, at + "dtype " + t.get("dtype").asText() + " is not supported");
    }
    long[] shape = new long[t.get("shape").size()];
    long bytes = dtype.getNumOfBytes();
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = t.get("shape").get(i);
      if (!d.canConvertToExactIntegral() || !d.canConvertToLong() || d.asLong() < 0) {
        throw bad(file, at + "shape " + t.get("shape") + " is not a list of sizes");
      }
      shape[i] = d.asLong();
      try {
        bytes = Math.multiplyExact(bytes, shape[i]);
      } catch (ArithmeticException e) {
        throw bad(file, at + "shape " + t.get("shape") + " is too large");
      }
    }
    JsonNode o = t.get("data_offsets");
    if (o.size() != 2 || !o.get(0).canConvertToLong() || !o.get(1).canConvertToLong()
        || !o.get(0).canConvertToExactIntegral() || !o.get(1).canConvertToExactIntegral()) {
      throw bad(file, at + "data_offsets " + o + " is not [begin, end]");
    }
    long begin = o.get(0).asLong();
    long end = o.get(1).asLong();
    if (begin < 0 || end < begin || end > dataBytes) {
      throw bad(file, at + "data_offsets " + o + " lie outside the " + dataBytes + " data bytes after the header");
    }
    if (end - begin != bytes) {
      throw bad(file, at + "dtype " + t.get("dtype").asText() + " x shape " + t.get("shape") + " is " + bytes
          + " bytes, but data_offsets " + o + " hold " + (end - begin));
    }
    return new Entry(name, dtype, shape, begin, end, dataStart);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
    long p = position;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, p);
      if (r < 0) {
        throw bad(file, "ends at byte " + p + " (was it changed while being read?)");
      }
      p += r;
    }
  }

  private static IOException bad(Path file, String why) {
    return new IOException(file + " is not a valid safetensors file: " + why);
  }

  /** Writes the arrays in the given order. */
  public static void write(Path file, Map<String, NDArray> arrays) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      NDArray a = e.getValue();
      long bytes = a.size() * a.getDataType().getNumOfBytes();
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", a.getDataType().asSafetensors());
      ArrayNode shape = t.putArray("shape");
      for (long d : a.getShape().getShape()) {
        shape.add(d);
      }
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] head = JSON.writeValueAsBytes(header);
    // the format pads the header with spaces so the data starts 8-byte aligned
    int padded = (head.length + 7) / 8 * 8;
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      os.write(len.array());
      os.write(head);
      for (int i = head.length; i < padded; i++) {
        os.write(' ');
      }
      if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
        throw new IOException("big-endian hosts are not supported");
      }
      for (NDArray a : arrays.values()) {
        ByteBuffer bb = a.toByteBuffer();
        byte[] chunk = new byte[bb.remaining()];
        bb.get(chunk);
        os.write(chunk);
      }
    }
  }
}
