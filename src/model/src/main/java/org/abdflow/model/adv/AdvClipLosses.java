package org.abdflow.model.adv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import org.abdflow.api.Tensors;

/**
 * The loss terms of AdvCLIP and ABD's patch generation (PAPER.md §1.3.1, §1.3.4), each a scalar on
 * its first argument's manager and differentiable. Scalar factors go through {@link Tensors}
 * (DJL's {@code mul(Number)} frees a tensor that the backward pass reads).
 */
public final class AdvClipLosses {
  /** ε of U's logarithms and of its row normalisation, as AdvCLIP's {@code umap}. */
  static final double TOPOLOGY_EPS = 1e-7;

  /** U's stand-in for the self-distance: above any cosine distance (≤ 2), so a row's minimum is its nearest neighbour. */
  static final float SELF_DISTANCE = 3f;

  private AdvClipLosses() {}

  /**
   * AdvCLIP's one-directional InfoNCE ({@code utils/nce.py}): rows of q and k (N×d) L2-normalised,
   * logits q_i·k_j/τ, mean over i of −log softmax_j at j = i.
   */
  public static NDArray infoNce(NDArray q, NDArray k, double tau) {
    NDArray logits = Tensors.div(q.normalize().matMul(k.normalize().transpose()), tau);
    NDArray eye = diagonal(q);
    return logits.logSoftmax(1).mul(eye).sum().neg().div(Tensors.scalar(logits, q.getShape().get(0)));
  }

  /**
   * AdvCLIP's "topological" divergence U(A, B) ({@code utils/metrics.py: umap}): the
   * nearest-neighbour-shifted similarity graphs Q_A of A and P_B of B, row-normalised, compared as
   * Σ P·(ln(P+ε) − ln(Q+ε)) + Σ (1−P)·(ln(1−P+ε) − ln(1−Q+ε)) over all N×N entries.
   */
  public static NDArray topology(NDArray a, NDArray b) {
    NDArray q = neighbourGraph(a);
    NDArray p = neighbourGraph(b);
    NDArray notP = p.neg().add(1f);
    NDArray notQ = q.neg().add(1f);
    return divergence(p, q).add(divergence(notP, notQ));
  }

  /** Σ p·(ln(p+ε) − ln(q+ε)). */
  private static NDArray divergence(NDArray p, NDArray q) {
    NDArray eps = Tensors.scalar(p, TOPOLOGY_EPS);
    return p.mul(p.add(eps).log().sub(q.add(eps).log())).sum();
  }

  /**
   * Rows L2-normalised (NaN → 0) → cosine distance 1 − XXᵀ → each row minus its nearest-neighbour
   * distance, self-distance 0 → similarity 1 − Δ rescaled to [0, 1] → rows summing to 1.
   */
  static NDArray neighbourGraph(NDArray x) {
    NDArray norm = x.mul(x).sum(new int[] {1}, true).sqrt();
    NDArray unit = x.div(norm.add(Tensors.scalar(x, TOPOLOGY_EPS)));
    unit = NDArrays.where(unit.isNaN(), unit.zerosLike(), unit);
    NDArray distance = unit.matMul(unit.transpose()).neg().add(1f);
    NDArray eye = diagonal(x);
    NDArray offDiagonal = eye.neg().add(1f);
    // the diagonal is replaced, not shifted: no gradient reaches it, as with AdvCLIP's assignment
    NDArray withSelf = distance.mul(offDiagonal).add(Tensors.mul(eye, SELF_DISTANCE));
    NDArray shifted = withSelf.sub(withSelf.min(new int[] {1}, true)).mul(offDiagonal);
    NDArray similarity = Tensors.mul(shifted.neg().add(2f), 0.5);
    return similarity.div(similarity.sum(new int[] {1}, true));
  }

  /** Binary cross-entropy of sigmoid(logits) against a constant label, averaged: torch's {@code BCELoss}. */
  public static NDArray bceWithLogits(NDArray logits, boolean real) {
    // −log σ(l) = softplus(−l), −log(1 − σ(l)) = softplus(l)
    NDArray signed = real ? logits.neg() : logits;
    return signed.getNDArrayInternal().softPlus().mean();
  }

  /** Mean squared difference over all elements. */
  public static NDArray mse(NDArray a, NDArray b) {
    NDArray d = a.sub(b);
    return d.mul(d).mean();
  }

  private static NDArray diagonal(NDArray like) {
    NDManager m = like.getManager();
    return m.eye(Math.toIntExact(like.getShape().get(0)));
  }
}
