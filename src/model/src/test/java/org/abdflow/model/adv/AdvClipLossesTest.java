package org.abdflow.model.adv;

import static org.junit.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.Test;

public class AdvClipLossesTest {

  @Test
  public void infoNceMatchesAHandComputation() {
    try (NDManager m = NDManager.newBaseManager()) {
      // rows scaled away from unit length: the loss normalises them
      NDArray q = m.create(new float[][] {{3, 0}, {0.3f, 0.4f}});
      NDArray k = m.create(new float[][] {{0.8f, 0.6f}, {0, 2}});
      double tau = 0.5;
      double row0 = -(1.6 - Math.log(Math.exp(1.6) + Math.exp(0)));
      double row1 = -(1.6 - Math.log(Math.exp(1.92) + Math.exp(1.6)));
      assertEquals((row0 + row1) / 2, AdvClipLosses.infoNce(q, k, tau).getFloat(), 1e-5);
    }
  }

  @Test
  public void topologyMatchesAPlainJavaImplementation() {
    double[][] a = {{1, 2, 0.5}, {-1, 0.3, 2}, {0.2, -0.4, 1}, {2, 2, -1}};
    double[][] b = {{0.5, 1, 1}, {1, -1, 0.1}, {-0.3, 0.2, 0.9}, {1.5, 0.1, -2}};
    try (NDManager m = NDManager.newBaseManager()) {
      float value = AdvClipLosses.topology(m.create(toFloat(a)), m.create(toFloat(b))).getFloat();
      assertEquals(umap(a, b), value, 1e-5);
      assertEquals(0, AdvClipLosses.topology(m.create(toFloat(a)), m.create(toFloat(a))).getFloat(), 1e-6);
    }
  }

  @Test
  public void bceAndMse() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.create(new float[] {0.5f, -1f});
      double p0 = 1 / (1 + Math.exp(-0.5));
      double p1 = 1 / (1 + Math.exp(1));
      assertEquals(-(Math.log(p0) + Math.log(p1)) / 2, AdvClipLosses.bceWithLogits(logits, true).getFloat(), 1e-6);
      assertEquals(-(Math.log(1 - p0) + Math.log(1 - p1)) / 2, AdvClipLosses.bceWithLogits(logits, false).getFloat(),
          1e-6);
      NDArray x = m.create(new float[] {1, 2, 3, 4});
      NDArray y = m.create(new float[] {1, 0, 3, 5});
      assertEquals((4 + 1) / 4.0, AdvClipLosses.mse(x, y).getFloat(), 1e-6);
    }
  }

  /** AdvCLIP's {@code umap(output_net, target_net)}, step by step in double precision. */
  private static double umap(double[][] output, double[][] target) {
    double eps = 1e-7;
    double[][] q = graph(output, eps);
    double[][] p = graph(target, eps);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      for (int j = 0; j < p.length; j++) {
        sum += p[i][j] * (Math.log(p[i][j] + eps) - Math.log(q[i][j] + eps));
        sum += (1 - p[i][j]) * (Math.log(1 - p[i][j] + eps) - Math.log(1 - q[i][j] + eps));
      }
    }
    return sum;
  }

  private static double[][] graph(double[][] x, double eps) {
    int n = x.length;
    double[][] u = new double[n][];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (double v : x[i]) {
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      u[i] = new double[x[i].length];
      for (int d = 0; d < x[i].length; d++) {
        u[i][d] = x[i][d] / (norm + eps);
      }
    }
    double[][] dist = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int d = 0; d < u[i].length; d++) {
          s += u[i][d] * u[j][d];
        }
        dist[i][j] = i == j ? 3 : 1 - s;
      }
    }
    double[][] g = new double[n][n];
    for (int i = 0; i < n; i++) {
      double min = Double.MAX_VALUE;
      for (int j = 0; j < n; j++) {
        min = Math.min(min, dist[i][j]);
      }
      double rowSum = 0;
      for (int j = 0; j < n; j++) {
        double d = i == j ? 0 : dist[i][j] - min;
        g[i][j] = ((1 - d) + 1) / 2;
        rowSum += g[i][j];
      }
      for (int j = 0; j < n; j++) {
        g[i][j] /= rowSum;
      }
    }
    return g;
  }

  private static float[][] toFloat(double[][] d) {
    float[][] f = new float[d.length][];
    for (int i = 0; i < d.length; i++) {
      f[i] = new float[d[i].length];
      for (int j = 0; j < d[i].length; j++) {
        f[i][j] = (float) d[i][j];
      }
    }
    return f;
  }
}
