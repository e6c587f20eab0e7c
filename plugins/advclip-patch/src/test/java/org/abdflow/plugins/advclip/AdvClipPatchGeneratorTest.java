package org.abdflow.plugins.advclip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abdflow.api.ArtifactGenerator;
import org.abdflow.api.config.ConfigException;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
import org.abdflow.model.adv.AdvPatchOptions;
import org.abdflow.model.text.WordTokenizer;
import org.abdflow.schema.Sample;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AdvClipPatchGeneratorTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  private final AdvClipPatchGenerator generator = new AdvClipPatchGenerator();

  private AdvClipPatchConfig config(Map<String, Object> values) {
    return generator.configure(generator.configSchema().parse(values));
  }

  @Test
  public void defaultsAreThePapersAndKeysReachTheOptions() {
    AdvPatchOptions d = config(Map.of()).options();
    assertEquals(10, d.alpha(), 0);
    assertEquals(10, d.mu(), 0);
    assertEquals(AdvPatchOptions.BdSign.SEPARATE, d.bdSign());
    assertEquals(AdvPatchOptions.AdvEncoder.ORIGIN, d.advEncoder());
    assertEquals(16, d.batchSize());
    AdvPatchOptions o = config(Map.of("mu", 2.5, "bdSign", "off", "advEncoder", "poisoned", "patchSide", 6, "lr", 1e-3)).options();
    assertEquals(2.5, o.mu(), 0);
    assertEquals(AdvPatchOptions.BdSign.OFF, o.bdSign());
    assertEquals(AdvPatchOptions.AdvEncoder.POISONED, o.advEncoder());
    assertEquals(6, o.patchSide());
    assertEquals(1e-3, o.learningRate(), 0);
  }

  @Test
  public void takesThePoisonedThenTheOriginModelAndMakesAnAdvPatch() {
    assertEquals(List.of("poisoned", "origin"), generator.modelRoles(config(Map.of())));
    assertEquals("adv-patch", generator.artifactKind(config(Map.of())));
  }

  @Test
  public void theOptionsOwnChecksNameTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("brightnessMin", 2.0, "brightnessMax", 1.0)));
    assertEquals("brightnessMax", e.key());
  }

  @Test
  @SuppressWarnings("unchecked")
  public void aResumedGenerationReportsEveryEpochNotOnlyTheOnesItRan() throws Exception {
    Engine.getEngine("PyTorch");
    int threads = JniUtils.getNumThreads();
    JniUtils.setNumThreads(1);
    try {
      List<Sample> records = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        byte[] px = new byte[32 * 32];
        for (int j = 0; j < px.length; j++) {
          px[j] = (byte) (i * 37 + j * (i % 3 + 1));
        }
        records.add(Sample.newBuilder().setId("r" + i).setPixels(ByteBuffer.wrap(px)).setHeight(32).setWidth(32)
            .setChannels(1).setCaption(i % 2 == 0 ? "a photo of a shoe." : "a photo of a bag.").setLabel(i % 2).build());
      }
      WordTokenizer tok = WordTokenizer.build(records.stream().map(Sample::getCaption).toList(), 16);
      List<Path> models = new ArrayList<>();
      for (int seed = 1; seed <= 2; seed++) {
        Path dir = tmp.newFolder("model" + seed).toPath();
        try (ClipModel m = ClipModel.create(ClipConfig.preset("clip-tiny"), tok, seed)) {
          m.save(dir);
        }
        models.add(dir);
      }
      Path epochs = tmp.newFolder("epochs").toPath();
      AdvClipPatchConfig config = config(Map.of("epochs", 2, "batchSize", 8));
      boolean[] kill = {true};
      ArtifactGenerator.Input input = new ArtifactGenerator.Input() {
        @Override public List<Path> models() {
          return models;
        }

        @Override public List<Sample> records() {
          return records;
        }

        @Override public long seed() {
          return 3;
        }

        @Override public String stage() {
          return "patch";
        }

        @Override public void progress(long done, long total, String detail) {
          if (kill[0] && detail.startsWith("epoch 2/")) {
            throw new IllegalStateException("killed in the second epoch");
          }
        }

        @Override public Optional<Path> epochCheckpoints() {
          return Optional.of(epochs);
        }
      };
      assertThrows(IllegalStateException.class, () -> generator.generate(config, input, tmp.newFolder("killed").toPath()));
      kill[0] = false;
      Map<String, Object> summary = generator.generate(config, input, tmp.newFolder("resumed").toPath());
      List<Map<String, Object>> rows = (List<Map<String, Object>>) summary.get("epochs");
      assertEquals("both epochs, the resumed one from the checkpoint", List.of(1, 2), rows.stream().map(r -> r.get("epoch")).toList());
      assertNotNull(rows.get(0).get("terms"));
      assertNull("the first epoch ran in the killed attempt", rows.get(0).get("seconds"));
      assertNotNull(rows.get(1).get("seconds"));
      assertEquals(1, summary.get("resumed_epochs"));
    } finally {
      JniUtils.setNumThreads(threads);
    }
  }
}
