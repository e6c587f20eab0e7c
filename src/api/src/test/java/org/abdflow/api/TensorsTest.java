package org.abdflow.api;

import static org.junit.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.Test;

/**
 * The scalar helpers keep gradients exact when the garbage collector runs between the forward and
 * the backward pass, which is when DJL's own {@code mul(Number)} loses the scalar it saved.
 */
public class TensorsTest {

  /** Gradient of sum(f(x, 3)) w.r.t. x, with a GC and fresh native allocations before backward. */
  static float gradientAfterGc(BiFunction<NDArray, Double, NDArray> f) throws InterruptedException {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.ones(new Shape(4));
      x.setRequiresGradient(true);
      boolean previous = JniUtils.isGradMode();
      JniUtils.setGradMode(true);
      try {
        NDArray y = f.apply(x, 3.0).sum();
        System.gc();
        Thread.sleep(20);
        List<ByteBuffer> litter = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          litter.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, 1e30f));
        }
        try (NDArray seed = m.ones(y.getShape())) {
          JniUtils.backward((PtNDArray) y, (PtNDArray) seed, false, false);
        }
        litter.clear();
        return x.getGradient().getFloat(0);
      } finally {
        JniUtils.setGradMode(previous);
      }
    }
  }

  @Test
  public void mulAndDivGradientsSurviveGarbageCollection() throws InterruptedException {
    for (int i = 0; i < 20; i++) {
      assertEquals(3f, gradientAfterGc(Tensors::mul), 0f);
      assertEquals(1f / 3f, gradientAfterGc(Tensors::div), 1e-7f);
    }
  }

  @Test
  public void djlsNumberOverloadIsTheHazard() throws InterruptedException {
    int wrong = 0;
    for (int i = 0; i < 20; i++) {
      if (gradientAfterGc((x, v) -> x.mul(v.floatValue())) != 3f) {
        wrong++;
      }
    }
    // If this starts failing, DJL no longer frees the scalar its backward reads and Tensors could go.
    org.junit.Assert.assertTrue("DJL's mul(Number) kept its gradient under GC", wrong > 0);
  }
}
