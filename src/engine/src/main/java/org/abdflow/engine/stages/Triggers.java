package org.abdflow.engine.stages;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.abdflow.api.Attack;
import org.abdflow.api.Seeds;
import org.abdflow.api.image.Image;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.schema.Lineage;
import org.abdflow.schema.Sample;

/**
 * Redraws the trigger of poisoned records from their lineage (attack type, its config, the clean
 * pixels), so training can see a fresh trigger each epoch as the reference recipes do.
 */
final class Triggers {
  private final List<Path> folders;
  private final Map<String, String> pluginDigests;
  private final Map<String, ExtensionRef.Resolved<Attack>> attacks = new HashMap<>();

  Triggers(List<Path> folders, Map<String, String> pluginDigests) {
    this.folders = folders;
    this.pluginDigests = pluginDigests;
  }

  /** The image training sees for {@code s} in {@code epoch}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  Image imageFor(Sample s, int epoch, long runSeed, String stage) {
    Lineage lineage = s.getLineage();
    if (lineage == null || !lineage.getRedraw() || lineage.getOriginalImage() == null) {
      return Records.image(s);
    }
    ExtensionRef.Resolved<Attack> attack =
        attacks.computeIfAbsent(lineage.getAttack() + "\n" + lineage.getAttackConfig(),
            k -> new ExtensionRef(folders, pluginDigests, lineage.getAttack(), Json.toMap(lineage.getAttackConfig())).resolve(Attack.class));
    Image clean = Image.wrap(s.getHeight(), s.getWidth(), s.getChannels(), Records.bytes(lineage.getOriginalImage()));
    SplittableRandom rng = new SplittableRandom(Seeds.forRecord(runSeed, stage + "/epoch-" + epoch, s.getId()));
    return ((Attack) attack.extension()).trigger(clean, attack.config(), rng);
  }
}
