package org.abdflow.plugins.roclip;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import ai.djl.ndarray.NDManager;
import org.junit.Test;

public class CaptionMemoryBankTest {

  @Test
  public void startsAsSeededUnitVectors() {
    CaptionMemoryBank a = new CaptionMemoryBank(4, 3, 7);
    CaptionMemoryBank b = new CaptionMemoryBank(4, 3, 7);
    for (int i = 0; i < 4; i++) {
      float[] s = a.slot(i);
      assertEquals(1.0, s[0] * s[0] + s[1] * s[1] + s[2] * s[2], 1e-5);
      assertArrayEquals(s, b.slot(i), 0f);
    }
  }

  @Test
  public void overwritesTheOldestSlotsFirstAndWrapsWithOnlyWhatFits() {
    CaptionMemoryBank bank = new CaptionMemoryBank(5, 2, 1);
    float[] fourth = bank.slot(4);
    bank.push(new float[] {1, 0, 0, 1});
    assertEquals(2, bank.pointer());
    assertArrayEquals(new float[] {1, 0}, bank.slot(0), 0f);
    assertArrayEquals(new float[] {0, 1}, bank.slot(1), 0f);
    bank.push(new float[] {-1, 0, 0, -1});
    assertEquals(4, bank.pointer());
    assertArrayEquals(fourth, bank.slot(4), 0f);
    // three rows at pointer 4: only the first fits, the pointer goes back to 0, slot 0 is kept
    bank.push(new float[] {0.6f, 0.8f, 0.8f, 0.6f, 0, 1});
    assertEquals(0, bank.pointer());
    assertArrayEquals(new float[] {0.6f, 0.8f}, bank.slot(4), 0f);
    assertArrayEquals(new float[] {1, 0}, bank.slot(0), 0f);
    bank.push(new float[] {0.8f, -0.6f});
    assertEquals(1, bank.pointer());
    assertArrayEquals(new float[] {0.8f, -0.6f}, bank.slot(0), 0f);
    assertArrayEquals(new float[] {0, 1}, bank.slot(1), 0f);
  }

  @Test
  public void findsTheCaptionWithTheHighestCosine() {
    CaptionMemoryBank bank = new CaptionMemoryBank(3, 2, 1);
    bank.push(new float[] {1, 0, 0, 1, -0.6f, -0.8f});
    try (NDManager m = NDManager.newBaseManager()) {
      long[] nn = bank.nearest(m.create(new float[][] {{0.9f, 0.1f}, {-0.5f, -0.5f}, {0.1f, 0.9f}}), m);
      assertArrayEquals(new long[] {0, 2, 1}, nn);
      assertArrayEquals(new float[] {-0.6f, -0.8f, 1, 0}, bank.rows(new long[] {2, 0}, m).toFloatArray(), 0f);
      assertThrows(IllegalArgumentException.class, () -> bank.nearest(m.create(new float[][] {{1, 0, 0}}), m));
    }
  }
}
