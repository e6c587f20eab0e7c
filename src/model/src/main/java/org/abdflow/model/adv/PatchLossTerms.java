package org.abdflow.model.adv;

import java.util.List;

/**
 * The value of every term of one patch-generation step, or their means over an epoch: the
 * discriminator's loss L_D, and the generator's L_GAN, L_adv, L_rec, L_topo, L_bd (measured even
 * when {@link AdvPatchOptions.BdSign#OFF} keeps it out of the objective) and the total L_G it
 * minimised. Terms are unweighted; {@link #generator()} carries the weights.
 */
public record PatchLossTerms(
    double discriminator, double gan, double adv, double rec, double topo, double bd, double generator) {

  /** The adversarial part of L_G: α·L_adv + δ·L_topo + s·μ·L_bd, with s the sign of {@code options.bdSign()}. */
  public double attack(AdvPatchOptions o) {
    return o.alpha() * adv + o.delta() * topo + o.bdSign().sign() * o.mu() * bd;
  }

  /** A short form for logs and progress lines: the two losses the networks minimise, and L_bd. */
  public String summary() {
    return String.format(java.util.Locale.ROOT, "L_D %.4f, L_G %.4f, L_bd %.4f", discriminator, generator, bd);
  }

  /** The element-wise mean of a non-empty list. */
  public static PatchLossTerms mean(List<PatchLossTerms> terms) {
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("no terms to average");
    }
    double[] s = new double[7];
    for (PatchLossTerms t : terms) {
      s[0] += t.discriminator;
      s[1] += t.gan;
      s[2] += t.adv;
      s[3] += t.rec;
      s[4] += t.topo;
      s[5] += t.bd;
      s[6] += t.generator;
    }
    int n = terms.size();
    return new PatchLossTerms(s[0] / n, s[1] / n, s[2] / n, s[3] / n, s[4] / n, s[5] / n, s[6] / n);
  }
}
