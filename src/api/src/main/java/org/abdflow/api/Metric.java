package org.abdflow.api;

import org.abdflow.schema.Prediction;

/**
 * A metric that is the mean of a per-prediction hit, over the predictions it applies to: top-k
 * accuracy on clean images, attack success rate on triggered ones. The engine runs it as a Beam
 * combiner per (model, attack), so it scales with the evaluation set.
 */
public interface Metric<C> extends AbdflowExtension<C> {

  /** The name the report uses, e.g. {@code clean_accuracy}. */
  String name(C config);

  /** Whether {@code p} is counted at all (e.g. ASR skips images whose class is the target). */
  boolean appliesTo(Prediction p, C config);

  /** Whether {@code p} counts as a hit. */
  boolean hit(Prediction p, C config);
}
