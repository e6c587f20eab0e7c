package org.abdflow.plugins.cliploss;

import org.abdflow.api.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.abdflow.api.EmbeddingBatch;
import org.abdflow.api.Loss;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.pf4j.Extension;

/**
 * CLIP's contrastive loss (PAPER.md §3.1): with logits {@code exp(s) u_i . v_j}, the mean of the
 * image-to-text and text-to-image cross-entropies against the diagonal.
 */
@Extension
public class ClipLoss implements Loss<ClipLossConfig> {

  @Override
  public String type() {
    return "ClipLoss";
  }

  @Override
  public String description() {
    return "symmetric InfoNCE between images and their captions, temperature exp(logit_scale)";
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
  public NDArray compute(EmbeddingBatch batch, ClipLossConfig config) {
    return Tensors.mul(symmetricInfoNce(batch.images(), batch.texts(), batch.logitScale(), batch.manager()), config.weight());
  }

  /** Symmetric cross-entropy of {@code exp(s) a b^T} against the diagonal. */
  static NDArray symmetricInfoNce(NDArray a, NDArray b, NDArray logitScale, NDManager manager) {
    long n = a.getShape().get(0);
    NDArray logits = a.matMul(b.transpose()).mul(logitScale.exp());
    NDArray eye = manager.eye((int) n);
    NDArray rows = Tensors.div(logits.logSoftmax(1).mul(eye).sum(), -n);
    NDArray cols = Tensors.div(logits.logSoftmax(0).mul(eye).sum(), -n);
    return Tensors.div(rows.add(cols), 2);
  }
}
