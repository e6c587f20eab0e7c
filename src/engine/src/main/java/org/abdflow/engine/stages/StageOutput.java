package org.abdflow.engine.stages;

import org.abdflow.schema.MetricResult;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.values.PCollection;

/**
 * What a stage hands to the stages that read it: records, a model checkpoint (one element: the
 * checkpoint folder) or metric results.
 */
public sealed interface StageOutput {

  /** The spec transform that made it. */
  String stage();

  /** Image-caption records. */
  record Records(String stage, PCollection<Sample> records) implements StageOutput {}

  /** A trained model: one element, the path of its checkpoint folder. */
  record Model(String stage, PCollection<String> checkpoint, String defense) implements StageOutput {}

  /**
   * A file artifact other stages read (e.g. {@code adv-patch}: ABD's universal adversarial patch):
   * one element, the path of its folder; {@code kind} says what is in it.
   */
  record Artifact(String stage, PCollection<String> path, String kind) implements StageOutput {}

  /** Evaluation results. */
  record Metrics(String stage, PCollection<MetricResult> results) implements StageOutput {}
}
