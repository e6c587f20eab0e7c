package org.abdflow.engine.stages;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.config.ExtensionSpec;

/** Config of the {@code Train} stage: contrastive training of CLIP on its input records. */
@AutoValue
public abstract class TrainConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addString("model", "clip-tiny", "architecture preset of a model trained from scratch (ignored when a model is an input)")
          .addInt("epochs", 10, 1, 100_000, "passes over the input records")
          .addInt("batchSize", 128, 2, 1 << 20, "pairs per step")
          .addDouble("lr", 1e-3, 0.0, 10.0, "peak learning rate of AdamW")
          .addDouble("weightDecay", 0.1, 0.0, 10.0, "AdamW decoupled weight decay (none on norms, biases, logit scale)")
          .addInt("warmupSteps", 50, 0, Integer.MAX_VALUE, "linear warm-up steps before the cosine decay")
          .addExtensionList("losses", List.of("ClipLoss"), "Loss terms summed into the objective: type names, or {type, config} to set a term's weight and options")
          .addString("defense", "none", "the recipe's name in the report (none for an attacker's model)")
          .addEnum("device", "cpu", org.abdflow.model.Devices.NAMES,
              "where the model trains: cpu, gpu (the first GPU, an error without one) or auto (a GPU when there is one)")
          .addString("accelerator", "type:nvidia-tesla-t4;count:1;install-nvidia-driver",
              "the Beam resource hint a gpu or auto stage carries, for runners that place work by it (Dataflow's syntax)")
          .build();

  public abstract String model();

  public abstract int epochs();

  public abstract int batchSize();

  public abstract double lr();

  public abstract double weightDecay();

  public abstract int warmupSteps();

  public abstract List<ExtensionSpec> losses();

  public abstract String defense();

  /** cpu, gpu or auto ({@link org.abdflow.model.Devices}). */
  public abstract String device();

  /** The accelerator resource hint of a gpu or auto stage. */
  public abstract String accelerator();

  static TrainConfig from(ConfigValues v) {
    TrainConfig c =
        new AutoValue_TrainConfig(
            v.getString("model"),
            v.getInt("epochs"),
            v.getInt("batchSize"),
            v.getDouble("lr"),
            v.getDouble("weightDecay"),
            v.getInt("warmupSteps"),
            v.getExtensionList("losses"),
            v.getString("defense"),
            v.getString("device"),
            v.getString("accelerator"));
    if (c.losses().isEmpty()) {
      throw new ConfigException("losses", "needs at least one loss");
    }
    return c;
  }
}
