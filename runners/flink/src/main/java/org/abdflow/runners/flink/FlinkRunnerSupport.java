package org.abdflow.runners.flink;

import java.util.List;
import org.abdflow.engine.runner.RunnerSupport;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Beam's Flink 1.19 runner: embedded ({@code [local]}, the default) or a session cluster
 * ({@code --flinkMaster=host:port}).
 */
public final class FlinkRunnerSupport implements RunnerSupport {

  @Override
  public String name() {
    return "flink";
  }

  @Override
  public String description() {
    return "Beam FlinkRunner: embedded Flink by default, or --flinkMaster=host:port";
  }

  @Override
  public PipelineOptions options(List<String> beamArgs) {
    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(beamArgs.toArray(String[]::new)).withValidation().as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    if (beamArgs.stream().noneMatch(a -> a.startsWith("--executionModeForBatch"))) {
      // Blocking exchanges: with pipelined ones, a graph where several training stages wait for
      // the same broadcast model (side input) stopped scheduling with no task running.
      options.setExecutionModeForBatch("BATCH_FORCED");
    }
    if (!beamArgs.stream().anyMatch(a -> a.startsWith("--parallelism"))) {
      options.setParallelism(Runtime.getRuntime().availableProcessors());
    }
    return options;
  }
}
