package org.abdflow.model.train;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.abdflow.model.Autograd;
import org.junit.Test;

public class ParameterPackTest {
  // odd sizes, so group and tensor boundaries fall inside SIMD lanes and thread chunks
  private static final Shape[] DECAYED = {new Shape(33, 7), new Shape(3, 5, 3, 3), new Shape(40000, 3)};
  private static final Shape[] PLAIN = {new Shape(1), new Shape(65), new Shape(), new Shape(9)};

  @Test
  public void packedUpdatesMatchPerTensorUpdatesInEveryBit() {
    try (NDManager m = NDManager.newBaseManager()) {
      List<NDArray> packedDecayed = weights(m, DECAYED, 1);
      List<NDArray> packedPlain = weights(m, PLAIN, 2);
      List<NDArray> single = new ArrayList<>(weights(m, DECAYED, 1));
      single.addAll(weights(m, PLAIN, 2));
      List<NDArray> before = List.copyOf(packedDecayed);
      List<NDArray[]> moments = new ArrayList<>();
      for (NDArray w : single) {
        moments.add(new NDArray[] {m.zeros(w.getShape()), m.zeros(w.getShape())});
      }
      try (ParameterPack pack = ParameterPack.of(List.of(packedDecayed, packedPlain), m)) {
        assertSame("weights keep their Java objects", before.get(0), pack.weights().get(0));
        Random rnd = new Random(3);
        for (int step = 1; step <= 5; step++) {
          float lr = 1e-3f * step;
          float corrected = (float) (lr * Math.sqrt(1 - Math.pow(0.98, step)) / (1 - Math.pow(0.9, step)));
          List<float[]> grads = new ArrayList<>();
          for (NDArray w : single) {
            grads.add(random(rnd, (int) w.size(), 1f));
          }
          try (NDManager sm = m.newSubManager()) {
            backward(pack.weights(), grads, sm);
            NDArray flat = pack.flatGradient(sm);
            assertNotNull(flat);
            float[] values = flat.toFloatArray();
            for (int i = 0; i < single.size(); i++) {
              assertEquals("64-byte aligned", 0, pack.offset(i) % 16);
              float[] segment = java.util.Arrays.copyOfRange(values, (int) pack.offset(i), (int) (pack.offset(i) + single.get(i).size()));
              assertArrayEquals("gradient " + i, grads.get(i), segment, 0f);
            }
            assertTrue(flat.size() >= totalSize(single));
            pack.adamUpdate(0, flat, sm, lr, corrected, 0.2f, 0.9f, 0.98f, 1e-6f);
            pack.adamUpdate(1, flat, sm, lr, corrected, 0f, 0.9f, 0.98f, 1e-6f);
            pack.zeroGradients();
            for (int i = 0; i < single.size(); i++) {
              NDArray w = single.get(i);
              NDArray g = sm.create(grads.get(i), w.getShape());
              ParameterPack.adamUpdate(w, g, moments.get(i)[0], moments.get(i)[1], lr, corrected,
                  i < DECAYED.length ? 0.2f : 0f, 0.9f, 0.98f, 1e-6f);
            }
          }
        }
        for (int i = 0; i < single.size(); i++) {
          assertArrayEquals("weight " + i, single.get(i).toFloatArray(), pack.weights().get(i).toFloatArray(), 0f);
          assertArrayEquals("mean " + i, moments.get(i)[0].toFloatArray(), pack.mean(i).toFloatArray(), 0f);
          assertArrayEquals("variance " + i, moments.get(i)[1].toFloatArray(), pack.variance(i).toFloatArray(), 0f);
        }
      }
      // the buffer outlives the pack: the weights are still readable and trainable
      NDArray w = before.get(0);
      assertEquals(DECAYED[0], w.getShape());
      assertTrue(w.hasGradient());
      assertTrue(Float.isFinite(w.sum().getFloat()));
    }
  }

  @Test
  public void aWeightWithoutGradientContributesZeros() {
    try (NDManager m = NDManager.newBaseManager()) {
      List<NDArray> ws = weights(m, PLAIN, 4);
      try (ParameterPack pack = ParameterPack.of(List.of(ws), m); NDManager sm = m.newSubManager()) {
        List<float[]> grads = new ArrayList<>();
        for (NDArray w : ws) {
          grads.add(random(new Random(1), (int) w.size(), 1f));
        }
        backward(ws.subList(0, 2), grads.subList(0, 2), sm);
        float[] flat = pack.flatGradient(sm).toFloatArray();
        float[] expected = new float[flat.length];
        System.arraycopy(grads.get(0), 0, expected, (int) pack.offset(0), 1);
        System.arraycopy(grads.get(1), 0, expected, (int) pack.offset(1), 65);
        assertArrayEquals(expected, flat, 0f);
      }
    }
  }

  @Test
  public void repackingKeepsTheValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      List<NDArray> ws = weights(m, DECAYED, 5);
      List<float[]> values = new ArrayList<>();
      ws.forEach(w -> values.add(w.toFloatArray()));
      ParameterPack.of(List.of(ws), m).close();
      try (ParameterPack again = ParameterPack.of(List.of(ws.subList(1, 3), ws.subList(0, 1)), m)) {
        assertSame(ws.get(1), again.weights().get(0));
        for (int i = 0; i < ws.size(); i++) {
          assertArrayEquals(values.get(i), ws.get(i).toFloatArray(), 0f);
        }
      }
    }
  }

  private static List<NDArray> weights(NDManager m, Shape[] shapes, long seed) {
    Random rnd = new Random(seed);
    List<NDArray> out = new ArrayList<>();
    for (Shape s : shapes) {
      NDArray w = m.create(random(rnd, (int) s.size(), 0.5f), s);
      w.setRequiresGradient(true);
      out.add(w);
    }
    return out;
  }

  /** Puts {@code grads} into the weights' {@code .grad} through a real backward pass (loss = Σ w·g). */
  private static void backward(List<NDArray> weights, List<float[]> grads, NDManager sm) {
    try (Autograd on = Autograd.enabled()) {
      NDArray loss = null;
      for (int i = 0; i < weights.size(); i++) {
        NDArray w = weights.get(i);
        NDArray term = w.mul(sm.create(grads.get(i), w.getShape())).sum();
        loss = loss == null ? term : loss.add(term);
      }
      Autograd.backward(loss);
    }
  }

  private static float[] random(Random rnd, int n, float scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextGaussian() * scale;
    }
    return a;
  }

  private static long totalSize(List<NDArray> ws) {
    return ws.stream().mapToLong(NDArray::size).sum();
  }
}
