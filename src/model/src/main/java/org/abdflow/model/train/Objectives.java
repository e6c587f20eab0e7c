package org.abdflow.model.train;

import org.abdflow.api.Tensors;
import ai.djl.ndarray.NDArray;
import org.abdflow.api.EmbeddingBatch;

/** Standard objectives. */
public final class Objectives {
  private Objectives() {}

  /**
   * CLIP's symmetric InfoNCE (PAPER.md §3.1): logits exp(s)·u_i·v_j, cross-entropy of each image
   * against the batch's captions and of each caption against the images, averaged.
   */
  public static Objective clip() {
    return Objectives::clipLoss;
  }

  /** The CLIP loss of one batch; usable inside other objectives. */
  public static NDArray clipLoss(EmbeddingBatch batch) {
    NDArray u = batch.images();
    NDArray v = batch.texts();
    long n = u.getShape().get(0);
    NDArray logits = u.matMul(v.transpose()).mul(batch.logitScale().exp());
    // the diagonal holds the matching pairs
    NDArray eye = batch.manager().eye((int) n);
    NDArray imageToText = logits.logSoftmax(1).mul(eye).sum();
    NDArray textToImage = logits.logSoftmax(0).mul(eye).sum();
    return Tensors.div(imageToText.add(textToImage), -2.0 * n);
  }
}
