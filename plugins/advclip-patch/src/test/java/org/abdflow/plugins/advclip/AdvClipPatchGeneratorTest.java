package org.abdflow.plugins.advclip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import org.abdflow.api.config.ConfigException;
import org.abdflow.model.adv.AdvPatchOptions;
import org.junit.Test;

public class AdvClipPatchGeneratorTest {
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
}
