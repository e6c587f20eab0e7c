package org.abdflow.model.train;

import org.abdflow.api.image.Image;

/**
 * Image–caption pairs a {@link ClipTrainer} reads by index. Images are asked for per epoch, so a
 * source can redraw a trigger or an augmentation each time; captions are read once per fit.
 * Implementations must return the same values for the same arguments (determinism of a run).
 */
public interface TrainingData {

  int size();

  /** The image of pair {@code index} as epoch {@code epoch} (0-based) sees it. */
  Image image(int index, int epoch);

  String caption(int index);

  /** A stable record id (for logs and lineage). */
  String id(int index);

  /** The augmented view of the image of pair {@code index}; the image itself by default. */
  default Image imageView(int index, int epoch) {
    return image(index, epoch);
  }

  /** The augmented view of the caption of pair {@code index}; the caption itself by default. */
  default String captionView(int index) {
    return caption(index);
  }
}
