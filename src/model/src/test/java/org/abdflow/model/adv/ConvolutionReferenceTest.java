package org.abdflow.model.adv;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.abdflow.model.Autograd;
import org.abdflow.model.nn.ReferenceConvolution;
import org.abdflow.model.nn.StateBlock;
import org.abdflow.model.nn.StateEntry;
import org.junit.Test;

/**
 * Every convolution and transposed convolution of the patch GAN at the demo size (32 px, width
 * 64) and the 224-px output layer, against a plain-Java double-precision reference: output, input
 * gradient, weight and bias gradients, five times each (libtorch's small-channel bug is
 * run-to-run different).
 */
public class ConvolutionReferenceTest {
  private static final int REPEATS = 5;

  @Test
  public void generatorTransposedConvolutionsAt32Px() {
    checkTransposed(4, 100, 256, 4, 1, 0, 0, 1);
    checkTransposed(4, 256, 128, 4, 2, 1, 0, 4);
    checkTransposed(4, 128, 64, 4, 2, 1, 0, 8);
    checkTransposed(4, 64, 3, 4, 2, 1, 0, 16);
  }

  @Test
  public void transposedConvolutionWithOutputPaddingAndCroppingPhases() {
    // odd output side (output padding) and a stride larger than the kernel (phases without taps)
    checkTransposed(3, 8, 5, 3, 2, 1, 1, 5);
    checkTransposed(2, 6, 4, 4, 8, 14, 0, 6);
    // a 1x1 input or a stride >= the kernel takes the matrix-product path, also with padding and output padding
    checkTransposed(2, 6, 4, 3, 4, 1, 3, 5);
    checkTransposed(2, 6, 4, 2, 2, 0, 1, 5);
    checkTransposed(3, 20, 5, 4, 3, 1, 2, 1);
    checkTransposed(3, 20, 5, 5, 2, 2, 1, 1);
  }

  @Test
  public void generatorOutputLayerAt224Px() {
    checkTransposed(1, 128, 3, 4, 8, 14, 0, 32);
  }

  @Test
  public void collapseConvolutionOverTheNoiseBatch() {
    PatchConv2d collapse = new PatchConv2d(16, 1, 3, 1, 1);
    assertTrue("1 output channel, stride 1, 3x3: the padded path", collapse.padsChannels());
    checkConv(3, 16, 1, 3, 1, 1, 32);
    checkConv(3, 64, 1, 3, 1, 1, 32);
  }

  @Test
  public void discriminatorConvolutionsAt32Px() {
    assertFalse(new PatchConv2d(3, 64, 4, 2, 1).padsChannels());
    assertTrue(new PatchConv2d(256, 1, 4, 1, 0).padsChannels());
    checkConv(4, 3, 64, 4, 2, 1, 32);
    checkConv(4, 64, 128, 4, 2, 1, 16);
    checkConv(4, 128, 256, 4, 2, 1, 8);
    checkConv(4, 256, 1, 4, 1, 0, 4);
  }

  @Test
  public void channelCountsOffMultiplesOf16() {
    // unpadded, libtorch gets the forward value of the first wrong, the stride-1 input gradient of the
    // second and the stride-2 input gradient of the third
    assertTrue(new PatchConv2d(20, 16, 3, 1, 1).padsChannels());
    assertTrue(new PatchConv2d(16, 20, 3, 1, 1).padsChannels());
    assertTrue(new PatchConv2d(112, 64, 4, 2, 1).padsChannels());
    assertFalse(new PatchConv2d(16, 20, 3, 2, 1).padsChannels());
    assertFalse(new PatchConv2d(100, 64, 1, 1, 0).padsChannels());
    checkConv(2, 20, 16, 3, 1, 1, 9);
    checkConv(2, 16, 20, 3, 1, 1, 9);
    checkConv(2, 112, 64, 4, 2, 1, 8);
    checkConv(2, 100, 64, 4, 2, 1, 9);
    checkConv(2, 100, 64, 1, 1, 0, 9);
  }

  static void checkTransposed(int batch, int cin, int cout, int k, int s, int p, int op, int size) {
    PatchConvTranspose2d layer = new PatchConvTranspose2d(cin, cout, k, s, p, op);
    int out = layer.outputSize(size);
    String what = "deconv " + cin + "->" + cout + " k" + k + " s" + s + " p" + p + " op" + op + " at " + size;
    check(what, layer, batch, cin, cout, size, out, (x, w, b, go) -> ReferenceConvolution.transposed(batch, cin, cout, k, s, p,
        size, out, x, w, b, go));
  }

  static void checkConv(int batch, int cin, int cout, int k, int s, int p, int size) {
    PatchConv2d layer = new PatchConv2d(cin, cout, k, s, p);
    int out = (size + 2 * p - k) / s + 1;
    String what = "conv " + cin + "->" + cout + " k" + k + " s" + s + " p" + p + " at " + size;
    check(what, layer, batch, cin, cout, size, out, (x, w, b, go) -> ReferenceConvolution.conv(batch, cin, cout, k, s, p,
        size, out, x, w, b, go));
  }

  private interface ReferenceFn {
    ReferenceConvolution compute(float[] x, float[] w, float[] b, float[] gradOut);
  }

  private static void check(String what, StateBlock layer, int batch, int cin, int cout, int size, int out,
      ReferenceFn reference) {
    Random rnd = new Random(what.hashCode());
    float[] x = gaussian(rnd, batch * cin * size * size);
    float[] gradOut = gaussian(rnd, batch * cout * out * out);
    try (NDManager m = NDManager.newBaseManager()) {
      layer.initialize(m, 3L);
      StateEntry weight = layer.stateDict().get("weight");
      StateEntry bias = layer.stateDict().get("bias");
      // non-zero bias so that its gradient and broadcast are checked too
      bias.array().addi(m.create(gaussian(rnd, cout), bias.shape()));
      ReferenceConvolution ref = reference.compute(x, weight.array().toFloatArray(), bias.array().toFloatArray(), gradOut);
      weight.array().setRequiresGradient(true);
      bias.array().setRequiresGradient(true);
      ParameterStore ps = new ParameterStore(m, false);
      for (int rep = 0; rep < REPEATS; rep++) {
        try (NDManager sm = m.newSubManager(); Autograd on = Autograd.enabled()) {
          NDArray input = sm.create(x, new Shape(batch, cin, size, size));
          input.setRequiresGradient(true);
          NDArray y = layer.forward(ps, input, true);
          assertEquals(what, new Shape(batch, cout, out, out), y.getShape());
          Autograd.backward(y.mul(sm.create(gradOut, y.getShape())).sum());
          String at = what + " rep " + rep;
          assertClose("output of " + at, ref.y, y.toFloatArray());
          assertClose("input gradient of " + at, ref.gx, gradient(input, sm));
          assertClose("weight gradient of " + at, ref.gw, gradient(weight.array(), sm));
          assertClose("bias gradient of " + at, ref.gb, gradient(bias.array(), sm));
          JniUtils.zeroGrad((PtNDArray) weight.array());
          JniUtils.zeroGrad((PtNDArray) bias.array());
        }
      }
    }
  }

  private static float[] gradient(NDArray a, NDManager sm) {
    NDArray g = a.getGradient();
    g.attach(sm);
    return g.toFloatArray();
  }

  /** Float32 accumulation error is relative to the values' scale, so the bound is too. */
  private static void assertClose(String what, double[] expected, float[] actual) {
    assertEquals(what + " length", expected.length, actual.length);
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    double tol = 1e-4 * scale + 1e-7;
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
        throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
            + " (tolerance " + tol + ")");
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
