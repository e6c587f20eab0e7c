package org.abdflow.engine.stages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.schema.DeadLetter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/** What a stage needs while it expands: the pipeline, the spec, the plugins and the run's folders. */
public final class StageContext {
  private final Pipeline pipeline;
  private final PipelineSpec spec;
  private final PluginRegistry registry;
  private final RunLayout layout;
  private final List<PCollection<DeadLetter>> deadLetters = new ArrayList<>();
  private final java.util.Map<String, StageOutput> outputs = new java.util.LinkedHashMap<>();

  private final boolean pluginsStaged;

  public StageContext(Pipeline pipeline, PipelineSpec spec, PluginRegistry registry, RunLayout layout) {
    this(pipeline, spec, registry, layout, false);
  }

  /** With {@code pluginsStaged}, workers load plugins from the job's staged JARs, not from folders. */
  public StageContext(Pipeline pipeline, PipelineSpec spec, PluginRegistry registry, RunLayout layout, boolean pluginsStaged) {
    this.pluginsStaged = pluginsStaged;
    this.pipeline = pipeline;
    this.spec = spec;
    this.registry = registry;
    this.layout = layout;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public PipelineSpec spec() {
    return spec;
  }

  public PluginRegistry registry() {
    return registry;
  }

  public RunLayout layout() {
    return layout;
  }

  /** The seed of {@code stage}: its seed copy's when the spec lists seeds, the run's otherwise. */
  public long seed(String stage) {
    return spec.seedOf(stage);
  }

  /** The plugin folders, for {@link org.abdflow.engine.plugins.ExtensionRef}s. */
  public List<Path> pluginFolders() {
    return pluginsStaged ? List.of(PluginRegistry.STAGED) : registry.folders();
  }

  /** The SHA-256 of each loaded plugin JAR by plugin id, which workers check their JARs against. */
  public java.util.Map<String, String> pluginDigests() {
    return registry.pluginDigests();
  }

  /** A worker's reference to the extension of {@code type} with {@code config}, from this run's plugins. */
  public org.abdflow.engine.plugins.ExtensionRef extensionRef(String type, java.util.Map<String, ?> config) {
    return new org.abdflow.engine.plugins.ExtensionRef(pluginFolders(), pluginDigests(), type, config);
  }

  /** The output of a transform expanded earlier (stages that read another transform's inputs, e.g. an attack's artifacts). */
  public StageOutput output(String transform) {
    StageOutput o = outputs.get(transform);
    if (o == null) {
      throw new IllegalStateException("transform " + transform + " has not been expanded yet");
    }
    return o;
  }

  void addOutput(String transform, StageOutput output) {
    outputs.put(transform, output);
  }

  /** Every expanded transform's output, in expansion order. */
  java.util.Map<String, StageOutput> outputs() {
    return java.util.Collections.unmodifiableMap(outputs);
  }

  /** Registers a stage's failed records; the engine writes them all to one dead-letter output. */
  public void addDeadLetters(PCollection<DeadLetter> failed) {
    deadLetters.add(failed);
  }

  public List<PCollection<DeadLetter>> deadLetters() {
    return deadLetters;
  }
}
