package org.abdflow.engine.runner;

import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What a runner module contributes: its name for {@code --runner} and its pipeline options with
 * abdflow's defaults. Found with {@link ServiceLoader}, so adding a runner is adding a module.
 */
public interface RunnerSupport {

  /** The name users pass to {@code --runner}, e.g. {@code direct}. */
  String name();

  /** One line for help texts. */
  String description();

  /** Options for this runner from Beam-style arguments ({@code --flinkMaster=...}). */
  PipelineOptions options(List<String> beamArgs);

  /**
   * Ships the plugin JARs with the job when the workers are other machines' (or other JVMs') and
   * returns true; then the workers load plugins from the job's staged files, never from folders.
   * Runners in this JVM return false and workers read the plugin folders.
   */
  default boolean stagePlugins(PipelineOptions options, List<java.nio.file.Path> pluginJars) {
    return false;
  }

  /**
   * Where this run writes a job template instead of executing (Dataflow's {@code
   * --templateLocation}); empty for runners that execute.
   */
  default java.util.Optional<String> templateLocation(PipelineOptions options) {
    return java.util.Optional.empty();
  }

  /**
   * The files a runner ships to its workers with the plugin JARs added: the files already set, or
   * else this JVM's class path as Beam detects it (what the runner would stage by itself).
   */
  static List<String> filesToStageWith(PipelineOptions options, List<String> configured, List<java.nio.file.Path> pluginJars) {
    List<String> files = new java.util.ArrayList<>(configured != null ? configured
        : org.apache.beam.sdk.util.construction.resources.PipelineResources.detectClassPathResourcesToStage(
            RunnerSupport.class.getClassLoader(), options));
    pluginJars.forEach(j -> files.add(j.toAbsolutePath().toString()));
    return files;
  }

  /** The runner of {@code name}, or an error listing the runners on the classpath. */
  static RunnerSupport named(String name) {
    TreeMap<String, RunnerSupport> all = new TreeMap<>();
    for (RunnerSupport r : ServiceLoader.load(RunnerSupport.class)) {
      all.put(r.name(), r);
    }
    RunnerSupport r = all.get(name);
    if (r == null) {
      throw new IllegalArgumentException("unknown runner " + name + " (available: " + String.join(", ", all.keySet()) + ")"
          + org.abdflow.api.config.DidYouMean.suggestion(name, all.keySet())
          + (name.equals("dataflow") ? "; the dataflow runner's jars join the class path only through ./abdflow run --runner dataflow" : ""));
    }
    return r;
  }
}
