package org.abdflow.engine.stages;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** Config of the {@code ZeroShotEval} stage. */
@AutoValue
public abstract class EvalConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addStringList("attacks", List.of(), "names of the spec's attack transforms whose triggers are applied at test time")
          .addStringList("templates", List.of("simple"), "prompt templates of the zero-shot classifier ({} = class name), or a named set")
          .addStringList("metrics", List.of("CleanAccuracy", "CleanTop5", "AttackSuccessRate", "AttackSuccessRateAll"),
              "Metric plugin types computed per model and attack")
          .addInt("batchSize", 256, 1, 1 << 20, "images per forward pass")
          .addInt("topK", 5, 1, 1000, "predictions kept per image")
          .addInt("gallery", 8, 0, 256, "test images shown clean and triggered per attack in the report (first by id; 0 = none)")
          .build();

  public abstract List<String> attacks();

  public abstract List<String> templates();

  public abstract List<String> metrics();

  public abstract int batchSize();

  public abstract int topK();

  public abstract int gallery();

  static EvalConfig from(ConfigValues v) {
    List<String> templates = new java.util.ArrayList<>();
    for (String t : v.getStringList("templates")) {
      try {
        templates.addAll(PromptTemplates.named(t));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("templates", e.getMessage());
      }
    }
    return new AutoValue_EvalConfig(
        v.getStringList("attacks"), List.copyOf(templates), v.getStringList("metrics"), v.getInt("batchSize"), v.getInt("topK"),
        v.getInt("gallery"));
  }
}
