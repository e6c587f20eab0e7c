package org.abdflow.engine;

import com.google.auto.value.AutoValue;
import java.nio.file.Path;
import java.util.List;

/** One run of a spec: where it writes, on which runner, with which extra plugin folders. */
@AutoValue
public abstract class RunRequest {
  public abstract Path spec();

  public abstract Path output();

  public abstract String runner();

  /** Beam-style options passed to the runner ({@code --flinkMaster=host:port}, ...). */
  public abstract List<String> beamArgs();

  /** Plugin folders besides the default one and those the spec lists. */
  public abstract List<Path> pluginDirs();

  /** A run seed in place of the spec's {@code pipeline.seed} (for seed sweeps). */
  public abstract java.util.OptionalLong seed();

  /** Values of the spec's {@code params} ({@code --param NAME=VALUE}). */
  public abstract java.util.Map<String, String> params();

  public static Builder builder() {
    return new AutoValue_RunRequest.Builder().setRunner("direct").setBeamArgs(List.of()).setPluginDirs(List.of())
        .setSeed(java.util.OptionalLong.empty()).setParams(java.util.Map.of());
  }

  /** Builder. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setSpec(Path spec);

    public abstract Builder setOutput(Path output);

    public abstract Builder setRunner(String runner);

    public abstract Builder setBeamArgs(List<String> args);

    public abstract Builder setPluginDirs(List<Path> dirs);

    public abstract Builder setSeed(java.util.OptionalLong seed);

    public abstract Builder setParams(java.util.Map<String, String> params);

    public abstract RunRequest build();
  }
}
