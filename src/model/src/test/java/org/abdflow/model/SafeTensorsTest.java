package org.abdflow.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Corrupt or hostile safetensors headers fail before any array is made, naming file and tensor. */
public class SafeTensorsTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** A file of {@code header} (JSON) and {@code dataBytes} bytes of data, the length field {@code length}. */
  private Path file(String name, long length, String header, int dataBytes) throws IOException {
    byte[] head = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + head.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(length).put(head);
    for (int i = 0; i < dataBytes; i++) {
      b.put((byte) i);
    }
    Path p = tmp.getRoot().toPath().resolve(name);
    Files.write(p, b.array());
    return p;
  }

  private Path file(String name, String header, int dataBytes) throws IOException {
    return file(name, header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
  }

  /** The message of reading a bad file; the manager is never reached. */
  private static String refusal(Path file) {
    IOException e = assertThrows(IOException.class, () -> SafeTensors.read(null, file));
    assertThat(e.getMessage(), containsString(file + " is not a valid safetensors file: "));
    return e.getMessage();
  }

  @Test
  public void readsAGoodFile() throws IOException {
    Path p = file("good.safetensors",
        "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
            + "\"b\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[16,19]}}", 19);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> arrays = SafeTensors.read(m, p);
      assertThat(arrays.keySet(), contains("w", "b"));
      assertArrayEquals(new long[] {2, 2}, arrays.get("w").getShape().getShape());
      assertArrayEquals(new byte[] {16, 17, 18}, arrays.get("b").toByteArray());
    }
  }

  @Test
  public void refusesAFileShorterThanTheLengthField() throws IOException {
    Path p = tmp.getRoot().toPath().resolve("tiny.safetensors");
    Files.write(p, new byte[] {1, 2, 3});
    assertThat(refusal(p), containsString("is 3 bytes, shorter than the 8-byte header length"));
    Files.write(p, new byte[0]);
    assertThat(refusal(p), containsString("is 0 bytes"));
  }

  @Test
  public void refusesAHeaderLengthLargerThanTheFile() throws IOException {
    String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    assertThat(refusal(file("long.safetensors", 1L << 40, h, 4)),
        containsString("the header length is 1099511627776 bytes, but the file holds " + (h.length() + 4) + " after it"));
    assertThat(refusal(file("negative.safetensors", -1, h, 4)), containsString("the header length is 18446744073709551615"));
  }

  @Test
  public void refusesAHeaderThatIsNotAJsonObjectOfTensors() throws IOException {
    assertThat(refusal(file("text.safetensors", "not json at all", 0)), containsString("the header is not JSON"));
    assertThat(refusal(file("list.safetensors", "[1, 2]", 0)), containsString("not a JSON object"));
    assertThat(refusal(file("nodtype.safetensors", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4)),
        containsString("tensor 'w': needs dtype, shape and data_offsets"));
    assertThat(refusal(file("dtype.safetensors", "{\"w\":{\"dtype\":\"F8_E9\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1)),
        containsString("tensor 'w': dtype F8_E9 is not supported"));
    assertThat(refusal(file("shape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)),
        containsString("tensor 'w': shape [-1] is not a list of sizes"));
  }

  @Test
  public void refusesOffsetsOutsideTheFile() throws IOException {
    assertThat(refusal(file("past.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8)),
        containsString("tensor 'w': data_offsets [0,16] lie outside the 8 data bytes after the header"));
    assertThat(refusal(file("backwards.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", 8)),
        containsString("tensor 'w': data_offsets [8,4] lie outside"));
  }

  @Test
  public void refusesDtypeTimesShapeOtherThanTheByteCount() throws IOException {
    assertThat(refusal(file("count.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 24)),
        containsString("tensor 'w': dtype F32 x shape [2,3] is 24 bytes, but data_offsets [0,20] hold 20"));
    assertThat(refusal(file("huge.safetensors",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", 4)),
        containsString("tensor 'w': shape [4294967296,4294967296] is too large"));
  }

  @Test
  public void refusesOverlappingTensors() throws IOException {
    assertThat(refusal(file("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)),
        containsString("tensors 'a' [0, 8) and 'b' [4, 12) overlap"));
  }
}
