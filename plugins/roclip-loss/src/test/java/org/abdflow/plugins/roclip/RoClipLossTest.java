package org.abdflow.plugins.roclip;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.abdflow.api.EmbeddingBatch;
import org.abdflow.api.Loss;
import org.junit.Test;

public class RoClipLossTest {
  private final RoClipLoss loss = new RoClipLoss();

  private RoClipLossConfig config(Map<String, Object> values) {
    return loss.configure(loss.configSchema().parse(values));
  }

  private static EmbeddingBatch batch(NDManager m, float[][] u, float[][] v, int epoch, float scale) {
    return new EmbeddingBatch() {
      public NDArray images() { return m.create(u); }
      public NDArray texts() { return m.create(v); }
      public NDArray logitScale() { return m.create(scale); }
      public Optional<NDArray> view(String name) {
        return Optional.of(m.create(name.equals(Loss.IMAGE_VIEW) ? u : v));
      }
      public int epoch() { return epoch; }
      public NDManager manager() { return m; }
    };
  }

  private static Loss.RunScope scope(NDManager m) {
    return new Loss.RunScope() {
      public NDManager manager() { return m; }
      public long seed() { return 3; }
    };
  }

  /** CLIP's symmetric loss over pairs (a_i, b_i), written out. */
  private static double clip(float[][] a, float[][] b, double t) {
    int n = a.length;
    double rows = 0;
    double cols = 0;
    for (int i = 0; i < n; i++) {
      double dr = 0;
      double dc = 0;
      for (int j = 0; j < n; j++) {
        dr += Math.exp(t * dot(a[i], b[j]));
        dc += Math.exp(t * dot(a[j], b[i]));
      }
      rows += Math.log(dr) - t * dot(a[i], b[i]);
      cols += Math.log(dc) - t * dot(a[i], b[i]);
    }
    return (rows + cols) / (2 * n);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private final float[][] u = {{1, 0}, {0, 1}, {0.6f, 0.8f}};
  // captions: the third image's nearest caption is the first one, not its own
  private final float[][] v = {{0.8f, 0.6f}, {0, 1}, {-1, 0}};

  @Test
  public void plainEpochsAreTheClipLoss() {
    float s = (float) Math.log(4.0);
    try (NDManager m = NDManager.newBaseManager();
        Loss.Term term = loss.open(config(Map.of("weight", 2.0)), scope(m))) {
      float got = term.compute(batch(m, u, v, 0, s)).getFloat();
      assertThat((double) got, closeTo(2 * clip(u, v, 4), 1e-5));
    }
  }

  @Test
  public void repairingEpochsPairEachImageWithItsNearestBankCaption() {
    float s = (float) Math.log(4.0);
    RoClipLossConfig c = config(Map.of("bankSize", 3, "breakEpoch", 2));
    assertFalse(c.repairs(0));
    assertTrue(c.repairs(1));
    try (NDManager m = NDManager.newBaseManager(); Loss.Term term = loss.open(c, scope(m))) {
      term.compute(batch(m, u, v, 1, s)); // bank was random; now it holds exactly v
      float got = term.compute(batch(m, u, v, 1, s)).getFloat();
      float[][] nearest = {v[0], v[1], v[0]};
      assertThat((double) got, closeTo(clip(u, nearest, 4), 1e-5));
      float plain = term.compute(batch(m, u, v, 2, s)).getFloat();
      assertThat((double) plain, closeTo(clip(u, v, 4), 1e-5));
    }
  }

  @Test
  public void readsTheAugmentedViewsUnlessCrossAugIsOff() {
    assertEquals(Set.of(Loss.IMAGE_VIEW, Loss.TEXT_VIEW), loss.views(config(Map.of())));
    assertFalse(loss.readsOriginals(config(Map.of())));
    assertEquals(Set.of(), loss.views(config(Map.of("crossAug", false))));
    assertTrue(loss.readsOriginals(config(Map.of("crossAug", false))));
  }

  @Test
  public void saysItNeedsARunForTheBank() {
    try (NDManager m = NDManager.newBaseManager()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> loss.compute(batch(m, u, v, 1, 1f), config(Map.of())));
      assertThat(e.getMessage(), containsString("memory bank"));
    }
  }
}
