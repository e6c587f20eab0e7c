package org.abdflow.plugins.unimodal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.abdflow.api.EmbeddingBatch;
import org.abdflow.api.Loss;
import org.abdflow.api.config.ConfigException;
import org.junit.Test;

public class UniModalLossTest {
  private final UniModalLoss loss = new UniModalLoss();

  private static EmbeddingBatch batch(NDManager m, float[][] u, float[][] v, float[][] ua, float[][] va, float scale) {
    Map<String, NDArray> views = new java.util.HashMap<>();
    if (ua != null) {
      views.put(Loss.IMAGE_VIEW, m.create(ua));
    }
    if (va != null) {
      views.put(Loss.TEXT_VIEW, m.create(va));
    }
    return new EmbeddingBatch() {
      public NDArray images() { return m.create(u); }
      public NDArray texts() { return m.create(v); }
      public NDArray logitScale() { return m.create(scale); }
      public Optional<NDArray> view(String name) { return Optional.ofNullable(views.get(name)); }
      public int epoch() { return 0; }
      public NDManager manager() { return m; }
    };
  }

  private UniModalLossConfig config(Map<String, Object> values) {
    return loss.configure(loss.configSchema().parse(values));
  }

  /** −(1/n) Σ_i log softmax_j(t q_i·k_j)[i], written out. */
  private static double rows(float[][] q, float[][] k, double t) {
    double total = 0;
    for (int i = 0; i < q.length; i++) {
      double denom = 0;
      for (float[] kj : k) {
        denom += Math.exp(t * dot(q[i], kj));
      }
      total += -(t * dot(q[i], k[i]) - Math.log(denom));
    }
    return total / q.length;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  public void isTheMeanOfTheImageAndTextRowCrossEntropies() {
    float[][] u = {{1, 0}, {0, 1}, {0.6f, 0.8f}};
    float[][] ua = {{0.8f, 0.6f}, {0, 1}, {1, 0}};
    float[][] v = {{0, 1}, {1, 0}, {0.8f, 0.6f}};
    float[][] va = {{0.6f, 0.8f}, {1, 0}, {0, 1}};
    float s = (float) Math.log(3.0);
    try (NDManager m = NDManager.newBaseManager()) {
      float got = loss.compute(batch(m, u, v, ua, va, s), config(Map.of())).getFloat();
      assertThat((double) got, closeTo((rows(u, ua, 3) + rows(v, va, 3)) / 2, 1e-5));
      float imageOnly = loss.compute(batch(m, u, v, ua, va, s), config(Map.of("text", false, "weight", 2.0))).getFloat();
      assertThat((double) imageOnly, closeTo(2 * rows(u, ua, 3), 1e-5));
    }
  }

  @Test
  public void rewardsViewsThatStayWithTheirOriginal() {
    float[][] e = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    float[][] shuffled = {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}};
    try (NDManager m = NDManager.newBaseManager()) {
      float kept = loss.compute(batch(m, e, e, e, e, 2f), config(Map.of())).getFloat();
      float moved = loss.compute(batch(m, e, e, shuffled, shuffled, 2f), config(Map.of())).getFloat();
      assertThat(kept, lessThan(moved));
    }
  }

  @Test
  public void asksForTheViewsItReadsAndSaysWhichIsMissing() {
    assertEquals(Set.of(Loss.IMAGE_VIEW, Loss.TEXT_VIEW), loss.views(config(Map.of())));
    assertEquals(Set.of(Loss.TEXT_VIEW), loss.views(config(Map.of("image", false))));
    float[][] e = {{1, 0}, {0, 1}};
    try (NDManager m = NDManager.newBaseManager()) {
      IllegalStateException x = assertThrows(IllegalStateException.class,
          () -> loss.compute(batch(m, e, e, e, null, 1f), config(Map.of())));
      assertThat(x.getMessage(), containsString(Loss.TEXT_VIEW));
    }
    ConfigException c = assertThrows(ConfigException.class, () -> config(Map.of("image", false, "text", false)));
    assertEquals("image", c.key());
  }
}
