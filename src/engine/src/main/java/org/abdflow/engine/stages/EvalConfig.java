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
          .addStringList("classNames", List.of(), "the classifier's classes, label i = the i-th (imagenet: CLIP's 1,000 ImageNet names); "
              + "empty: the class names of the test records")
          .addInt("batchSize", 256, 1, 1 << 20, "images per forward pass")
          .addEnum("device", "cpu", org.abdflow.model.Devices.NAMES, "where the models classify: cpu, gpu or auto")
          .addInt("topK", 5, 1, 1000, "predictions kept per image")
          .addInt("gallery", 8, 0, 256, "test images shown clean and triggered per attack in the report (first by id; 0 = none)")
          .build();

  public abstract List<String> attacks();

  public abstract List<String> templates();

  public abstract List<String> metrics();

  /** The classifier's class names by label; empty to take them from the test records. */
  public abstract List<String> classNames();

  public abstract int batchSize();

  public abstract String device();

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
    List<String> classNames = v.getStringList("classNames");
    if (classNames.equals(List.of("imagenet"))) {
      classNames = PromptTemplates.IMAGENET_CLASSES;
    } else if (classNames.size() == 1) {
      throw new ConfigException("classNames", "one class is no classifier: give the list, or imagenet");
    }
    return new AutoValue_EvalConfig(
        v.getStringList("attacks"), List.copyOf(templates), v.getStringList("metrics"), List.copyOf(classNames), v.getInt("batchSize"), v.getString("device"),
        v.getInt("topK"), v.getInt("gallery"));
  }
}
