package org.abdflow.engine.report;

import java.util.List;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The report's 95 % intervals. Within one seed: the percentile bootstrap over the test images.
 * Across seeds: the t interval of the seeds' values, the spread a rerun with a new seed shows.
 */
public final class Intervals {
  /** The intervals' coverage. */
  public static final double LEVEL = 0.95;

  private Intervals() {}

  /**
   * The percentile bootstrap interval of a rate measured on {@code n} test images. A resample of
   * the images (with replacement) has Binomial(n, rate) hits, so the interval is that
   * distribution's 2.5 % and 97.5 % quantiles over n: the bootstrap with infinitely many
   * resamples, the same on every run. Null without images.
   */
  public static List<Double> bootstrapRate(Double rate, Long n) {
    if (rate == null || n == null || n <= 0 || rate.isNaN()) {
      return null;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many images for an interval: " + n);
    }
    int trials = n.intValue();
    // the rate came from hits / n: recover the count exactly
    double p = Math.round(rate * trials) / (double) trials;
    BinomialDistribution resampled = new BinomialDistribution(null, trials, p);
    double tail = (1 - LEVEL) / 2;
    return List.of(resampled.inverseCumulativeProbability(tail) / (double) trials,
        resampled.inverseCumulativeProbability(1 - tail) / (double) trials);
  }

  /**
   * mean ± t(0.975, k − 1) · sd / √k over k seeds' values (NaN ones left out), cut to [0, 1] since
   * the values are rates; null under two.
   */
  public static List<Double> acrossSeeds(List<Double> values) {
    List<Double> v = values.stream().filter(x -> x != null && !x.isNaN()).toList();
    if (v.size() < 2) {
      return null;
    }
    double mean = SeedSummary.mean(v);
    double half = new TDistribution(null, v.size() - 1).inverseCumulativeProbability(1 - (1 - LEVEL) / 2)
        * SeedSummary.sd(v) / Math.sqrt(v.size());
    return List.of(Math.max(0, mean - half), Math.min(1, mean + half));
  }

  /** "[lo, hi]" in % with one decimal, or "" without an interval. */
  public static String percent(List<Double> ci) {
    return ci == null ? "" : String.format(java.util.Locale.ROOT, "[%.1f, %.1f]", 100 * ci.get(0), 100 * ci.get(1));
  }
}
