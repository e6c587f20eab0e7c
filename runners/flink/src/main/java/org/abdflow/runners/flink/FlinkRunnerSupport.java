package org.abdflow.runners.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
    if (options.getFlinkConfDir() == null && System.getenv("FLINK_CONF_DIR") == null) {
      options.setFlinkConfDir(defaultConfDir().toString());
    }
    return options;
  }

  /**
   * A cluster's TaskManagers get the plugin JARs as staged files with the job, next to this
   * JVM's class path (what FlinkRunner would stage by itself); embedded Flink reads the folders.
   */
  @Override
  public boolean stagePlugins(PipelineOptions options, List<Path> pluginJars) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String master = flink.getFlinkMaster();
    if (master == null || master.equals("[local]") || master.equals("[auto]") || master.equals("[collection]")) {
      return false;
    }
    List<String> files = RunnerSupport.filesToStageWith(options, flink.getFilesToStage(), pluginJars);
    flink.setFilesToStage(files);
    return true;
  }

  /** Managed memory of the embedded Flink for batch sorts; Flink's local default did not fit a 37-stage grid. */
  static final String MANAGED_MEMORY = "1024m";

  /**
   * A Flink configuration folder for runs that bring none: the embedded MiniCluster's default of
   * 128 MB managed memory, split over every sorting operator of a large spec, left some under the
   * 12 pages a sorter needs ("Too little memory provided to sorter").
   */
  static Path defaultConfDir() {
    try {
      Path dir = Files.createTempDirectory("abdflow-flink-conf");
      Files.writeString(dir.resolve("flink-conf.yaml"), "taskmanager.memory.managed.size: " + MANAGED_MEMORY + "\n");
      dir.toFile().deleteOnExit();
      dir.resolve("flink-conf.yaml").toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded Flink's configuration", e);
    }
  }
}
