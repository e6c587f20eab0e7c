package org.abdflow.plugins.cliploss;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.lessThan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Optional;
import org.abdflow.api.EmbeddingBatch;
import org.junit.Test;

public class ClipLossTest {
  private static EmbeddingBatch batch(NDManager m, NDArray u, NDArray v, float scale) {
    return new EmbeddingBatch() {
      public NDArray images() { return u; }
      public NDArray texts() { return v; }
      public NDArray logitScale() { return m.create(scale); }
      public Optional<NDArray> view(String name) { return Optional.empty(); }
      public int epoch() { return 0; }
      public NDManager manager() { return m; }
    };
  }

  @Test
  public void matchesTheCrossEntropyWrittenOut() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[][] u = {{1, 0}, {0, 1}, {0.6f, 0.8f}};
      float[][] v = {{0.8f, 0.6f}, {0, 1}, {1, 0}};
      float s = (float) Math.log(2.0);
      ClipLoss loss = new ClipLoss();
      ClipLossConfig cfg = loss.configure(loss.configSchema().parse(Map.of()));
      float got = loss.compute(batch(m, m.create(u), m.create(v), s), cfg).getFloat();
      double expected = 0;
      for (int dir = 0; dir < 2; dir++) {
        for (int i = 0; i < 3; i++) {
          double denom = 0;
          double own = 0;
          for (int j = 0; j < 3; j++) {
            double logit = 2.0 * dot(dir == 0 ? u[i] : v[i], dir == 0 ? v[j] : u[j]);
            denom += Math.exp(logit);
            if (i == j) {
              own = logit;
            }
          }
          expected += -(own - Math.log(denom)) / 3 / 2;
        }
      }
      assertThat((double) got, closeTo(expected, 1e-5));
    }
  }

  @Test
  public void alignedPairsCostLessThanShuffledOnes() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray u = m.eye(4);
      ClipLoss loss = new ClipLoss();
      ClipLossConfig cfg = loss.configure(loss.configSchema().parse(Map.of("weight", 2.0)));
      float aligned = loss.compute(batch(m, u, u, 2f), cfg).getFloat();
      NDArray shuffled = m.create(new float[][] {{0, 1, 0, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}, {0, 0, 1, 0}});
      assertThat(aligned, lessThan(loss.compute(batch(m, u, shuffled, 2f), cfg).getFloat()));
    }
  }

  @Test
  public void withPairsViewsContrastsTheAugmentedViewsOnly() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray u = m.eye(3);
      NDArray shuffled = m.create(new float[][] {{0, 1, 0}, {1, 0, 0}, {0, 0, 1}});
      ClipLoss loss = new ClipLoss();
      ClipLossConfig views = loss.configure(loss.configSchema().parse(Map.of("pairs", "views")));
      ClipLossConfig original = loss.configure(loss.configSchema().parse(Map.of()));
      org.junit.Assert.assertEquals(java.util.Set.of(ClipLoss.IMAGE_VIEW, ClipLoss.TEXT_VIEW), loss.views(views));
      org.junit.Assert.assertFalse(loss.readsOriginals(views));
      EmbeddingBatch b = new EmbeddingBatch() {
        public NDArray images() { throw new IllegalStateException("originals read"); }
        public NDArray texts() { throw new IllegalStateException("originals read"); }
        public NDArray logitScale() { return m.create(1f); }
        public Optional<NDArray> view(String name) { return Optional.of(name.equals(ClipLoss.IMAGE_VIEW) ? u : shuffled); }
        public int epoch() { return 0; }
        public NDManager manager() { return m; }
      };
      float onViews = loss.compute(b, views).getFloat();
      float same = loss.compute(batch(m, u, shuffled, 1f), original).getFloat();
      assertThat((double) onViews, closeTo(same, 1e-6));
    }
  }

  private static double dot(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d += a[i] * b[i];
    }
    return d;
  }
}
