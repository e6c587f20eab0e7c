package org.abdflow.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.util.List;
import org.junit.Test;

public class ClipConfigTest {

  @Test
  public void presetsCarryOpenAisNumbers() {
    ClipConfig rn = ClipConfig.preset("RN50");
    assertTrue(rn.isResNet());
    assertEquals(32, rn.visionHeads());
    assertEquals(1024, rn.embedDim());
    ClipConfig vit = ClipConfig.preset("ViT-B/32");
    assertFalse(vit.isResNet());
    assertEquals(12, vit.visionHeads());
    assertEquals(Integer.valueOf(32), vit.visionPatchSize());
    ClipConfig tiny = ClipConfig.preset("clip-tiny");
    assertEquals(8, tiny.visionHeads());
    assertEquals(List.of(0.2860f, 0.2860f, 0.2860f), tiny.imageMean());
    assertEquals(2, ClipConfig.preset("clip-tiny-vit").visionHeads());
  }

  @Test
  public void jsonRoundTripUsesOpenAisNames() {
    for (String name : ClipConfig.PRESETS) {
      ClipConfig c = ClipConfig.preset(name);
      String json = c.toJson();
      assertTrue(json.contains("\"transformer_width\""));
      assertEquals(c, ClipConfig.fromJson(json));
    }
    assertTrue(ClipConfig.preset("RN50").toJson().contains("\"vision_patch_size\" : null"));
  }

  @Test
  public void readsTheConformanceConfigs() throws Exception {
    assumeTrue(Files.isDirectory(ConformanceTest.DIR));
    ClipConfig rn = ClipConfig.read(ConformanceTest.DIR.resolve("rn-tiny.json"));
    assertEquals(List.of(1, 1, 1, 1), rn.visionLayers());
    assertNull(rn.visionPatchSize());
    assertEquals(8, rn.visionHeads());
    assertEquals(ClipConfig.CLIP_MEAN, rn.imageMean());
    ClipConfig vit = ClipConfig.read(ConformanceTest.DIR.resolve("vit-tiny.json"));
    assertEquals(List.of(2), vit.visionLayers());
    assertEquals(2, vit.visionHeads());
  }

  @Test
  public void isSerializable() throws Exception {
    ClipConfig c = ClipConfig.preset("clip-tiny");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(c, in.readObject());
    }
  }

  @Test(expected = IllegalArgumentException.class)
  public void rejectsAViTWithoutPatch() {
    ClipConfig.preset("clip-tiny-vit").toBuilder().setVisionPatchSize(null).build();
  }
}
