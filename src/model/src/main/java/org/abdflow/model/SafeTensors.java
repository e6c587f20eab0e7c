package org.abdflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named arrays in the safetensors format (what Hugging Face and the conformance files use): an
 * 8-byte little-endian header length, a JSON header of dtype/shape/offsets per name, the raw
 * little-endian bytes.
 */
public final class SafeTensors {
  private SafeTensors() {}

  /** Reads every array of {@code file} onto {@code manager}, by name, in the file's header order. */
  public static Map<String, NDArray> read(NDManager manager, Path file) throws IOException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      for (NDArray a : NDList.decode(manager, in)) {
        out.put(a.getName(), a);
      }
    }
    return out;
  }

  /** Writes the arrays in the given order. */
  public static void write(Path file, Map<String, NDArray> arrays) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = json.createObjectNode();
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
    byte[] head = json.writeValueAsBytes(header);
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
