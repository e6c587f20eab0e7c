package org.abdflow.plugins.unimodal;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import java.util.TreeSet;
import org.abdflow.api.EmbeddingBatch;
import org.abdflow.api.InfoNce;
import org.abdflow.api.Loss;
import org.abdflow.api.Tensors;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.pf4j.Extension;

/**
 * CleanCLIP's unimodal self-supervised term L_SS (PAPER.md §3.2): with logits {@code exp(s) u_i . ũ_j}
 * the cross-entropy of each original image (query) against the batch's augmented images (keys),
 * and the same for captions, averaged over the halves in use. Rows only, as CleanCLIP computes it.
 * CleanCLIP's views are AutoAugment and EDA; ABD's (§1.5) are the adversarial patch and EDA.
 */
@Extension
public class UniModalLoss implements Loss<UniModalLossConfig> {

  @Override
  public String type() {
    return "UniModalLoss";
  }

  @Override
  public String description() {
    return "CleanCLIP's in-modal InfoNCE: each image vs the augmented images, each caption vs the augmented captions";
  }

  @Override
  public ConfigSchema configSchema() {
    return UniModalLossConfig.SCHEMA;
  }

  @Override
  public UniModalLossConfig configure(ConfigValues values) {
    return UniModalLossConfig.from(values);
  }

  @Override
  public Set<String> views(UniModalLossConfig config) {
    Set<String> v = new TreeSet<>();
    if (config.image()) {
      v.add(IMAGE_VIEW);
    }
    if (config.text()) {
      v.add(TEXT_VIEW);
    }
    return v;
  }

  @Override
  public NDArray compute(EmbeddingBatch batch, UniModalLossConfig config) {
    NDArray sum = null;
    int halves = 0;
    if (config.image()) {
      sum = rowsInfoNce(batch.images(), view(batch, IMAGE_VIEW), batch);
      halves++;
    }
    if (config.text()) {
      NDArray t = rowsInfoNce(batch.texts(), view(batch, TEXT_VIEW), batch);
      sum = sum == null ? t : sum.add(t);
      halves++;
    }
    return Tensors.mul(sum, config.weight() / halves);
  }

  private static NDArray view(EmbeddingBatch batch, String name) {
    return batch.view(name).orElseThrow(() -> new IllegalStateException(
        "UniModalLoss needs the " + name + " view, which this training step did not compute"));
  }

  private static NDArray rowsInfoNce(NDArray queries, NDArray keys, EmbeddingBatch batch) {
    return InfoNce.rows(queries, keys, batch.logitScale(), batch.manager());
  }
}
