package org.abdflow.engine.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.Test;

public class IntervalsTest {
  @Test
  public void theExactIntervalIsWhatResamplingTheImagesGives() {
    // 980 test images, 826 of them right: resample them 20,000 times, as a bootstrap would
    int n = 980;
    int hits = 826;
    boolean[] right = new boolean[n];
    for (int i = 0; i < hits; i++) {
      right[i] = true;
    }
    SplittableRandom rng = new SplittableRandom(7);
    int b = 20_000;
    double[] rates = new double[b];
    for (int r = 0; r < b; r++) {
      int k = 0;
      for (int i = 0; i < n; i++) {
        k += right[rng.nextInt(n)] ? 1 : 0;
      }
      rates[r] = k / (double) n;
    }
    java.util.Arrays.sort(rates);
    List<Double> exact = Intervals.bootstrapRate(hits / (double) n, (long) n);
    assertEquals(rates[(int) (0.025 * b)], exact.get(0), 1.5 / n);
    assertEquals(rates[(int) (0.975 * b)], exact.get(1), 1.5 / n);
  }

  @Test
  public void aRateOfNoHitsHasNoSpreadAndNoImagesNoInterval() {
    assertEquals(List.of(0.0, 0.0), Intervals.bootstrapRate(0.0, 500L));
    assertNull(Intervals.bootstrapRate(0.5, 0L));
    assertNull(Intervals.bootstrapRate(null, 10L));
  }

  @Test
  public void acrossSeedsIsTheTInterval() {
    List<Double> ci = Intervals.acrossSeeds(List.of(0.80, 0.82, 0.84));
    double half = 4.302652730 * 0.02 / Math.sqrt(3);
    assertEquals(0.82 - half, ci.get(0), 1e-9);
    assertEquals(0.82 + half, ci.get(1), 1e-9);
    assertNull("one seed has no spread to show", Intervals.acrossSeeds(List.of(0.8)));
    assertEquals("NaN (no attack in one seed) is left out", ci, Intervals.acrossSeeds(List.of(0.80, Double.NaN, 0.82, 0.84)));
  }

  @Test
  public void aResultCarriesItsIntervalsInReportJsonAndReadsBack() throws Exception {
    RunReport.Result r = new RunReport.Result("eval", "victim", "none", "badnet", "badnet", 0.5, 0.9, 0.25, 0.3, 100, 80L);
    String json = ReportWriter.JSON.writeValueAsString(r);
    org.hamcrest.MatcherAssert.assertThat(json, org.hamcrest.Matchers.containsString("\"clean_accuracy_ci\""));
    org.hamcrest.MatcherAssert.assertThat(json, org.hamcrest.Matchers.containsString("\"attack_success_rate_ci\""));
    assertEquals(r, ReportWriter.JSON.readValue(json, RunReport.Result.class));
  }
}
