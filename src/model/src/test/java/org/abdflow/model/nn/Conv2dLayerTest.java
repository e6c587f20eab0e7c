package org.abdflow.model.nn;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.abdflow.model.Autograd;
import org.junit.Test;

/**
 * Convolution values and gradients against a plain-Java reference, repeated, on channel-first and
 * channel-last inputs: the shapes include the small stride-1 ones on which libtorch 2.7.1's own
 * CPU kernel gives a wrong input gradient (in both layouts).
 */
public class Conv2dLayerTest {
  private static final int BATCH = 20;
  private static final int SIZE = 12;

  @Test
  public void smallStrideOneConvolutionsHaveExactRepeatableGradients() {
    check(8, 8, 3, 1, 1, false);
    check(12, 12, 3, 1, 1, true);
    check(6, 4, 3, 1, 1, false);
  }

  @Test
  public void otherShapesTakeThePlainKernelAndAgreeToo() {
    assertFalse(new Conv2dLayer(16, 16, 3, 1, 1, false).padsOutput());
    assertFalse(new Conv2dLayer(3, 8, 3, 2, 1, false).padsOutput());
    assertFalse(new Conv2dLayer(8, 8, 1, 1, 0, false).padsOutput());
    assertTrue(new Conv2dLayer(8, 8, 3, 1, 1, false).padsOutput());
    check(16, 16, 3, 1, 1, false);
    check(3, 8, 3, 2, 1, true);
    check(8, 8, 1, 1, 0, false);
  }

  private static void check(int cin, int cout, int k, int stride, int pad, boolean bias) {
    Random rnd = new Random(cin * 31L + cout);
    float[] x = gaussian(rnd, BATCH * cin * SIZE * SIZE);
    int out = (SIZE + 2 * pad - k) / stride + 1;
    float[] gradOut = gaussian(rnd, BATCH * cout * out * out);
    try (NDManager m = NDManager.newBaseManager()) {
      Conv2dLayer layer = new Conv2dLayer(cin, cout, k, stride, pad, bias);
      layer.initialize(m, 5L);
      float[] w = layer.stateDict().get("weight").array().toFloatArray();
      float[] b = bias ? layer.stateDict().get("bias").array().toFloatArray() : new float[cout];
      ReferenceConvolution ref = ReferenceConvolution.conv(BATCH, cin, cout, k, stride, pad, SIZE, out, x, w, b, gradOut);
      for (StateEntry e : layer.stateDict().values()) {
        e.array().setRequiresGradient(true);
      }
      ParameterStore ps = new ParameterStore(m, false);
      for (int rep = 0; rep < 8; rep++) {
        try (NDManager sm = m.newSubManager(); Autograd on = Autograd.enabled()) {
          NDArray input = sm.create(x, new Shape(BATCH, cin, SIZE, SIZE));
          input.setRequiresGradient(true);
          // even reps: channel-first memory; odd: channel-last, as ModifiedResNet feeds its layers
          NDArray in = rep % 2 == 1 ? ModifiedResNet.channelsLast(input) : input;
          NDArray y = layer.forward(ps, in, true);
          assertEquals(new Shape(BATCH, cout, out, out), y.getShape());
          Autograd.backward(y.mul(sm.create(gradOut, y.getShape())).sum());
          String what = cin + "->" + cout + " k" + k + " s" + stride + " rep " + rep + (rep % 2 == 1 ? " channel-last" : "");
          assertArrayEquals("output " + what, ReferenceConvolution.floats(ref.y), y.toFloatArray(), 1e-3f);
          NDArray gx = input.getGradient();
          gx.attach(sm);
          assertArrayEquals("input gradient " + what, ReferenceConvolution.floats(ref.gx), gx.toFloatArray(), 2e-3f);
          NDArray gw = layer.stateDict().get("weight").array().getGradient();
          gw.attach(sm);
          assertArrayEquals("weight gradient " + what, ReferenceConvolution.floats(ref.gw), gw.toFloatArray(), 2e-2f);
          for (StateEntry e : layer.stateDict().values()) {
            ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) e.array());
          }
        }
      }
    }
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }
}
