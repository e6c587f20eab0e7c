package org.abdflow.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Optional;
import org.abdflow.api.EmbeddingBatch;

/** The embeddings of one training step, all on the step's manager. */
final class StepBatch implements EmbeddingBatch {
  private final NDArray images;
  private final NDArray texts;
  private final NDArray logitScale;
  private final Map<String, NDArray> views;
  private final int epoch;
  private final NDManager manager;

  StepBatch(NDArray images, NDArray texts, NDArray logitScale, Map<String, NDArray> views, int epoch, NDManager manager) {
    this.images = images;
    this.texts = texts;
    this.logitScale = logitScale;
    this.views = views;
    this.epoch = epoch;
    this.manager = manager;
  }

  @Override
  public NDArray images() {
    if (images == null) {
      throw new IllegalStateException("no loss term declared it reads the original images (Loss.readsOriginals)");
    }
    return images;
  }

  @Override
  public NDArray texts() {
    if (texts == null) {
      throw new IllegalStateException("no loss term declared it reads the original captions (Loss.readsOriginals)");
    }
    return texts;
  }

  @Override
  public NDArray logitScale() {
    return logitScale;
  }

  @Override
  public Optional<NDArray> view(String name) {
    return Optional.ofNullable(views.get(name));
  }

  @Override
  public int epoch() {
    return epoch;
  }

  @Override
  public NDManager manager() {
    return manager;
  }
}
