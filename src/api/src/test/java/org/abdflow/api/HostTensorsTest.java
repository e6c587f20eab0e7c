package org.abdflow.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import org.junit.Test;

public class HostTensorsTest {
  private static float[] ramp(int n, float start) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = start + i;
    }
    return v;
  }

  private static long directBytes() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
  }

  @Test
  public void valuesAndShapeArriveSmallOrLarge() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (int n : new int[] {6, 64 * 1024}) {
        NDArray f = HostTensors.of(m, ramp(n, 0.5f), new Shape(2, n / 2));
        assertEquals(new Shape(2, n / 2), f.getShape());
        assertEquals(DataType.FLOAT32, f.getDataType());
        assertArrayEquals(ramp(n, 0.5f), f.toFloatArray(), 0f);
        int[] ints = new int[n];
        for (int i = 0; i < n; i++) {
          ints[i] = i * 3 - 7;
        }
        NDArray t = HostTensors.of(m, ints, new Shape(n));
        assertEquals(DataType.INT32, t.getDataType());
        assertArrayEquals(ints, t.toIntArray());
      }
    }
  }

  @Test
  public void eachTensorOwnsItsValuesThoughTheStagingBufferIsReused() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray first = HostTensors.of(m, ramp(10_000, 0), new Shape(10_000));
      NDArray second = HostTensors.of(m, ramp(10_000, 1_000_000), new Shape(10_000));
      NDArray third = HostTensors.ofFloats(m, new Shape(10_000), b -> b.put(0, ramp(10_000, -5), 0, 10_000));
      assertArrayEquals(ramp(10_000, 0), first.toFloatArray(), 0f);
      assertArrayEquals(ramp(10_000, 1_000_000), second.toFloatArray(), 0f);
      assertArrayEquals(ramp(10_000, -5), third.toFloatArray(), 0f);
    }
  }

  @Test
  public void aFillMayItselfMakeATensor() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray[] inner = new NDArray[1];
      NDArray outer = HostTensors.ofFloats(m, new Shape(8192), b -> {
        b.put(0, ramp(4096, 0), 0, 4096);
        inner[0] = HostTensors.of(m, ramp(8192, 100), new Shape(8192));
        b.put(4096, ramp(4096, 4096), 0, 4096);
      });
      assertArrayEquals(ramp(8192, 0), outer.toFloatArray(), 0f);
      assertArrayEquals(ramp(8192, 100), inner[0].toFloatArray(), 0f);
    }
  }

  @Test
  public void closedTensorsLeaveNoDirectMemoryForTheCollector() {
    // NDManager.create(float[]) leaves each batch's values in a direct buffer until a GC; 100 batches
    // of 1 MiB here would leave ~100 MiB.
    float[] batch = ramp(256 * 1024, 0);
    try (NDManager m = NDManager.newBaseManager()) {
      HostTensors.of(m, batch, new Shape(batch.length)).close();
      long before = directBytes();
      for (int i = 0; i < 100; i++) {
        try (NDManager step = m.newSubManager()) {
          HostTensors.of(step, batch, new Shape(batch.length));
          HostTensors.ofFloats(step, new Shape(batch.length), b -> b.put(0, batch, 0, batch.length));
        }
      }
      assertThat(directBytes() - before, lessThan(4L << 20));
    }
  }

  @Test
  public void valuesThatDoNotFillTheShapeAreRefused() {
    try (NDManager m = NDManager.newBaseManager()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostTensors.of(m, new float[5], new Shape(2, 3)));
      assertEquals("5 values do not fill shape (2, 3)", e.getMessage());
    }
  }
}
