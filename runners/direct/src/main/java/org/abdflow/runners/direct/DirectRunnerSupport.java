package org.abdflow.runners.direct;

import java.util.List;
import org.abdflow.engine.runner.RunnerSupport;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** The embedded default: Beam's DirectRunner with one worker thread per core. */
public final class DirectRunnerSupport implements RunnerSupport {

  @Override
  public String name() {
    return "direct";
  }

  @Override
  public String description() {
    return "Beam DirectRunner in this JVM (the default; no cluster)";
  }

  @Override
  public PipelineOptions options(List<String> beamArgs) {
    DirectOptions options = PipelineOptionsFactory.fromArgs(beamArgs.toArray(String[]::new)).withValidation().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    if (!beamArgs.stream().anyMatch(a -> a.startsWith("--targetParallelism"))) {
      options.setTargetParallelism(Runtime.getRuntime().availableProcessors());
    }
    // Records are large byte arrays; the engine's DoFns never mutate their inputs, so the
    // DirectRunner's defensive copies only cost time.
    if (!beamArgs.stream().anyMatch(a -> a.startsWith("--enforceImmutability"))) {
      options.setEnforceImmutability(false);
    }
    return options;
  }
}
