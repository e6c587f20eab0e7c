package org.abdflow.api;

import java.util.SplittableRandom;
import org.abdflow.api.image.Image;

/** Makes an augmented view of a record for a defense recipe: of its image, its caption or both. */
public interface Augmenter<C> extends AbdflowExtension<C> {

  /** The augmented image; the identity for text-only augmenters. */
  default Image augmentImage(Image image, C config, SplittableRandom rng) {
    return image;
  }

  /** The augmented caption; the identity for image-only augmenters. */
  default String augmentCaption(String caption, C config, SplittableRandom rng) {
    return caption;
  }
}
