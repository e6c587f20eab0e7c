package org.abdflow.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The InfoNCE cross-entropies that CLIP-style terms share, with logits {@code exp(s) a_i . b_j}
 * against the diagonal. Inputs are L2-normalised N x d embeddings; results are scalars.
 */
public final class InfoNce {
  private InfoNce() {}

  /** Mean over i of −log softmax_j(exp(s) q_i . k_j)[i]: each query against all keys. */
  public static NDArray rows(NDArray queries, NDArray keys, NDArray logitScale, NDManager manager) {
    long n = queries.getShape().get(0);
    NDArray logits = queries.matMul(keys.transpose()).mul(logitScale.exp());
    NDArray eye = manager.eye((int) n);
    return Tensors.div(logits.logSoftmax(1).mul(eye).sum(), -n);
  }

  /** CLIP's loss: the mean of the a→b and b→a cross-entropies. */
  public static NDArray symmetric(NDArray a, NDArray b, NDArray logitScale, NDManager manager) {
    long n = a.getShape().get(0);
    NDArray logits = a.matMul(b.transpose()).mul(logitScale.exp());
    NDArray eye = manager.eye((int) n);
    NDArray rows = Tensors.div(logits.logSoftmax(1).mul(eye).sum(), -n);
    NDArray cols = Tensors.div(logits.logSoftmax(0).mul(eye).sum(), -n);
    return Tensors.div(rows.add(cols), 2);
  }
}
