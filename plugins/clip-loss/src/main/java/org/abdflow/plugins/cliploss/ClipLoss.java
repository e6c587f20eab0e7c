package org.abdflow.plugins.cliploss;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import org.abdflow.api.EmbeddingBatch;
import org.abdflow.api.InfoNce;
import org.abdflow.api.Loss;
import org.abdflow.api.Tensors;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.pf4j.Extension;

/**
 * CLIP's contrastive loss (PAPER.md §3.1): with logits {@code exp(s) u_i . v_j}, the mean of the
 * image-to-text and text-to-image cross-entropies against the diagonal. With {@code pairs: views}
 * it pairs the augmented views instead, (Ĩ, T̃): the cross-modal reading of ABD (§1.5, alternative).
 */
@Extension
public class ClipLoss implements Loss<ClipLossConfig> {

  @Override
  public String type() {
    return "ClipLoss";
  }

  @Override
  public String description() {
    return "symmetric InfoNCE between images and their captions (or between the augmented views), temperature exp(logit_scale)";
  }

  @Override
  public ConfigSchema configSchema() {
    return ClipLossConfig.SCHEMA;
  }

  @Override
  public ClipLossConfig configure(ConfigValues values) {
    return ClipLossConfig.from(values);
  }

  @Override
  public Set<String> views(ClipLossConfig config) {
    return config.onViews() ? Set.of(IMAGE_VIEW, TEXT_VIEW) : Set.of();
  }

  @Override
  public boolean readsOriginals(ClipLossConfig config) {
    return !config.onViews();
  }

  @Override
  public NDArray compute(EmbeddingBatch batch, ClipLossConfig config) {
    NDArray images = config.onViews() ? view(batch, IMAGE_VIEW) : batch.images();
    NDArray texts = config.onViews() ? view(batch, TEXT_VIEW) : batch.texts();
    return Tensors.mul(InfoNce.symmetric(images, texts, batch.logitScale(), batch.manager()), config.weight());
  }

  private static NDArray view(EmbeddingBatch batch, String name) {
    return batch.view(name).orElseThrow(() -> new IllegalStateException(
        "ClipLoss with pairs: views needs the " + name + " view, which this training step did not compute"));
  }
}
