package org.abdflow.api;

import java.util.List;
import java.util.SplittableRandom;
import org.abdflow.api.image.Image;

/**
 * Makes an augmented view of a record for a defense recipe: of its image, its caption or both. An
 * augmenter that needs another stage's output (ABD's patch) declares its {@link #artifactKinds};
 * the stage then takes one input artifact of each kind besides the records.
 */
public interface Augmenter<C> extends AbdflowExtension<C> {

  /** The kinds of input artifacts this augmenter reads (none by default). */
  default List<String> artifactKinds(C config) {
    return List.of();
  }

  /**
   * The augmented image; the identity for text-only augmenters. It keeps the record's height and
   * width; a grey record may get an RGB view (the record's image is then stored as RGB too, which
   * the models see the same way).
   */
  default Image augmentImage(Image image, C config, SplittableRandom rng) {
    return image;
  }

  /** As {@link #augmentImage(Image, Object, SplittableRandom)}, for augmenters that read artifacts. */
  default Image augmentImage(Image image, C config, SplittableRandom rng, ArtifactInputs artifacts) {
    return augmentImage(image, config, rng);
  }

  /** The augmented caption; the identity for image-only augmenters. */
  default String augmentCaption(String caption, C config, SplittableRandom rng) {
    return caption;
  }
}
