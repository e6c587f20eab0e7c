package org.abdflow.engine.stages;

import org.abdflow.engine.plugins.PluginRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abdflow.api.config.ConfigException;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.engine.spec.SpecError;
import org.abdflow.engine.spec.SpecException;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.schema.DeadLetter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/** Turns a validated spec into a Beam graph: each transform expands in dependency order. */
public final class GraphBuilder {
  private GraphBuilder() {}

  /** Adds the spec's stages and the dead-letter output to {@code pipeline}; returns each stage's output. */
  public static Map<String, StageOutput> build(Pipeline pipeline, PipelineSpec spec, StageCatalog catalog, RunLayout layout)
      throws SpecException {
    return build(pipeline, spec, catalog, layout, false);
  }

  /** With {@code pluginsStaged}, the workers take the plugins from the job's staged JARs ({@link PluginRegistry#STAGED}). */
  public static Map<String, StageOutput> build(Pipeline pipeline, PipelineSpec spec, StageCatalog catalog, RunLayout layout,
      boolean pluginsStaged) throws SpecException {
    StageContext context = new StageContext(pipeline, spec, catalog.registry(), layout, pluginsStaged);
    for (TransformSpec t : spec.topologicalOrder()) {
      List<StageOutput> inputs = new ArrayList<>();
      for (String in : t.inputs()) {
        inputs.add(context.output(in));
      }
      try {
        context.addOutput(t.name(), catalog.stage(t.type()).expand(context, t, inputs));
      } catch (ConfigException e) {
        // e.g. a source whose file is missing: point at the config key that names it
        throw new SpecException(SpecError.create(t.locationOf(e.key()), t.keyPath("config") + "." + e.key(), e.detail()));
      } catch (RuntimeException e) {
        throw new SpecException(SpecError.create(t.location(), t.keyPath(), t.name() + " (" + t.type() + "): " + e.getMessage()));
      }
    }
    List<PCollection<DeadLetter>> dead = context.deadLetters();
    if (!dead.isEmpty()) {
      PCollectionList.of(dead)
          .apply("DeadLetters", Flatten.pCollections())
          .setCoder(Coders.deadLetter())
          .apply("WriteDeadLetters",
              AvroIO.write(DeadLetter.class).to(layout.deadLetters().resolve("dead-letters").toString())
                  .withSuffix(".avro").withoutSharding());
    }
    return context.outputs();
  }
}
