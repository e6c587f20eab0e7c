package org.abdflow.model.adv;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.abdflow.model.Autograd;
import org.junit.Test;

public class PatchConvTranspose2dTest {
  /**
   * The phase kernels taken at once (one reshape, one split) hold the same values as the strided
   * slices, and send back the same weight gradient, bit for bit, for the generator's k4 s2 layers.
   */
  @Test
  public void groupedPhaseKernelsEqualTheStridedSlicesAndTheirGradients() {
    int kernel = 4;
    int stride = 2;
    try (NDManager m = NDManager.newBaseManager()) {
      Random rnd = new Random(7);
      Shape shape = new Shape(24, 10, kernel, kernel);
      float[] values = new float[(int) shape.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) rnd.nextGaussian();
      }
      NDArray[] upstream = new NDArray[stride * stride];
      for (int i = 0; i < upstream.length; i++) {
        float[] u = new float[10 * 24 * 2 * 2];
        for (int j = 0; j < u.length; j++) {
          u[j] = (float) rnd.nextGaussian();
        }
        upstream[i] = m.create(u, new Shape(10, 24, 2, 2));
      }
      float[][] gradients = new float[2][];
      NDList[] kernels = new NDList[2];
      for (int route = 0; route < 2; route++) {
        NDArray w = m.create(values, shape);
        w.setRequiresGradient(true);
        try (Autograd on = Autograd.enabled()) {
          NDArray flipped = w.flip(2, 3);
          NDList k = new NDList();
          if (route == 0) {
            k = PatchConvTranspose2d.phaseKernels(flipped, kernel, stride, flipped);
          } else {
            for (int r = 0; r < stride; r++) {
              for (int c = 0; c < stride; c++) {
                k.add(PatchConvTranspose2d.phaseKernel(flipped, r + "::" + stride, c + "::" + stride));
              }
            }
          }
          NDArray loss = null;
          for (int i = 0; i < k.size(); i++) {
            NDArray term = k.get(i).mul(upstream[i]).sum();
            loss = loss == null ? term : loss.add(term);
          }
          Autograd.backward(loss);
          kernels[route] = new NDList();
          for (NDArray a : k) {
            kernels[route].add(a.duplicate());
          }
        }
        gradients[route] = w.getGradient().toFloatArray();
      }
      for (int i = 0; i < stride * stride; i++) {
        assertEquals(new Shape(10, 24, 2, 2), kernels[0].get(i).getShape());
        assertArrayEquals("kernel of phase " + i, kernels[1].get(i).toFloatArray(), kernels[0].get(i).toFloatArray(), 0f);
      }
      assertArrayEquals("weight gradient", gradients[1], gradients[0], 0f);
    }
  }
}
