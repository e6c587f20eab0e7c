package org.abdflow.api;

import java.util.SplittableRandom;
import org.abdflow.api.image.Image;

/**
 * A poisoning attack: a trigger stamped on an image and a caption naming the target. The engine
 * chooses which records to poison (from {@link #poisoning}), derives a seed per record, keeps the
 * lineage, and applies the same {@link #trigger} to evaluation images to measure the attack
 * success rate.
 */
public interface Attack<C> extends AbdflowExtension<C> {

  /** Returns the triggered copy of {@code image}; {@code rng} is seeded per record. */
  Image trigger(Image image, C config, SplittableRandom rng);

  /**
   * The kinds of input artifacts the trigger reads (an optimised patch); none by default. The
   * attack's transform then takes one artifact of each kind besides the records.
   */
  default java.util.List<String> artifactKinds(C config) {
    return java.util.List.of();
  }

  /** As {@link #trigger(Image, Object, SplittableRandom)}, for attacks that read artifacts. */
  default Image trigger(Image image, C config, SplittableRandom rng, ArtifactInputs artifacts) {
    return trigger(image, config, rng);
  }

  /**
   * Whether a record with this caption may be poisoned; the rate or count applies to these records
   * only. All records by default; a label-consistent attack takes those that already name the target.
   */
  default boolean eligible(String caption, C config) {
    return true;
  }

  /** The caption a poisoned record gets in place of {@code original}. */
  String poisonCaption(String original, C config, SplittableRandom rng);

  /** How many records to poison and whether training redraws the trigger at each read. */
  PoisoningOptions poisoning(C config);

  /** The class name the backdoor points at, as evaluation labels it. */
  String target(C config);
}
