package org.abdflow.engine.stages;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.schema.Sample;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SpooledRecordsTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static Sample sample(String id, int size) {
    byte[] px = new byte[size * size];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (id.hashCode() + i);
    }
    return Sample.newBuilder().setId(id).setPixels(ByteBuffer.wrap(px)).setHeight(size).setWidth(size).setChannels(1)
        .setCaption("a photo of " + id).setLabel(id.length()).build();
  }

  @Test
  public void readsEveryRecordBackWholeInIdOrderAndDeletesItsFile() throws Exception {
    List<Sample> given = new ArrayList<>();
    for (String id : List.of("c/2", "a/10", "b/1", "a/9")) {
      given.add(sample(id, 3 + id.length()));
    }
    Path file = tmp.getRoot().toPath().resolve("records.spool");
    try (SpooledRecords spooled = SpooledRecords.write(given, file)) {
      assertEquals(List.of("a/10", "a/9", "b/1", "c/2"), spooled.stream().map(s -> s.getId().toString()).toList());
      for (Sample s : spooled) {
        Sample original = given.stream().filter(g -> g.getId().toString().equals(s.getId().toString())).findFirst().orElseThrow();
        assertEquals(original, s);
      }
      assertEquals("random access reads the same record again", spooled.get(2), spooled.get(2));
    }
    assertFalse(Files.exists(file));
  }
}
