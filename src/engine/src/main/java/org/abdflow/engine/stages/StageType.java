package org.abdflow.engine.stages;

import java.util.List;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.engine.spec.TransformSpec;

/**
 * A kind of spec transform and how it becomes part of a Beam graph. Built-in stages (Train,
 * ZeroShotEval) and the wrappers of plugin extensions (a Source, an Attack) are all stage types;
 * the engine only ever asks a type to expand itself, never switches on its name.
 */
public interface StageType {

  String type();

  String description();

  ConfigSchema schema();

  int minInputs();

  int maxInputs();

  /** Builds the typed config, throwing {@link org.abdflow.api.config.ConfigException} for cross-key rules. */
  Object configure(ConfigValues values);

  /** Adds the stage to the pipeline and returns what it produces. */
  StageOutput expand(StageContext context, TransformSpec transform, List<StageOutput> inputs);
}
