package org.abdflow.plugins.roclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.abdflow.api.Seeds;

/**
 * RoCLIP's pool of caption embeddings (PAPER.md §3.3, after lightly's {@code MemoryBankModule}): a
 * fixed number of unit vectors, initialised at random, overwritten first-in first-out by each
 * batch's caption embeddings. Held in Java memory, so the bank never takes part in a gradient and
 * outlives every step's arrays.
 */
final class CaptionMemoryBank {
  private final int size;
  private final int dim;
  private final float[] slots;
  private int pointer;

  /** A bank of {@code size} random unit vectors of dimension {@code dim}, drawn from {@code seed}. */
  CaptionMemoryBank(int size, int dim, long seed) {
    if (size < 1 || dim < 1) {
      throw new IllegalArgumentException("bank size and dimension must be positive, got " + size + " x " + dim);
    }
    this.size = size;
    this.dim = dim;
    this.slots = new float[size * dim];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < size; i++) {
      double norm = 0;
      for (int k = 0; k < dim; k++) {
        double g = Seeds.gaussian(rnd);
        slots[i * dim + k] = (float) g;
        norm += g * g;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int k = 0; k < dim; k++) {
        slots[i * dim + k] *= inv;
      }
    }
  }

  private CaptionMemoryBank(int size, int dim, float[] slots, int pointer) {
    this.size = size;
    this.dim = dim;
    this.slots = slots;
    this.pointer = pointer;
  }

  /** The bank as bytes: size, dimension, pointer, then the slots (big-endian). */
  byte[] toBytes() {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + 4 * slots.length);
    b.putInt(size).putInt(dim).putInt(pointer);
    b.asFloatBuffer().put(slots);
    return b.array();
  }

  /** A bank from {@link #toBytes()}, checked against the size the config asks for. */
  static CaptionMemoryBank fromBytes(byte[] bytes, int expectedSize) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
    if (bytes.length < 12) {
      throw new IllegalArgumentException("a saved memory bank needs at least 12 bytes, got " + bytes.length);
    }
    int size = b.getInt();
    int dim = b.getInt();
    int pointer = b.getInt();
    if (size != expectedSize || dim < 1 || pointer < 0 || pointer >= size || bytes.length != 12 + 4L * size * dim) {
      throw new IllegalArgumentException("a saved memory bank of " + bytes.length + " bytes does not hold "
          + expectedSize + " slots (it says " + size + " x " + dim + ", pointer " + pointer + ")");
    }
    float[] slots = new float[size * dim];
    b.asFloatBuffer().get(slots);
    return new CaptionMemoryBank(size, dim, slots, pointer);
  }

  int size() {
    return size;
  }

  int dim() {
    return dim;
  }

  /** The slot the next push writes first. */
  int pointer() {
    return pointer;
  }

  /** A copy of slot {@code i}. */
  float[] slot(int i) {
    float[] out = new float[dim];
    System.arraycopy(slots, i * dim, out, 0, dim);
    return out;
  }

  /**
   * Writes {@code rows} (n x dim, row-major) over the oldest slots. As in lightly, when the batch
   * reaches the end only the part that fits is written and the pointer returns to slot 0.
   */
  void push(float[] rows) {
    if (rows.length % dim != 0) {
      throw new IllegalArgumentException("rows of length " + rows.length + " are not a multiple of dimension " + dim);
    }
    int n = rows.length / dim;
    if (pointer + n >= size) {
      int fit = size - pointer;
      System.arraycopy(rows, 0, slots, pointer * dim, fit * dim);
      pointer = 0;
    } else {
      System.arraycopy(rows, 0, slots, pointer * dim, n * dim);
      pointer += n;
    }
  }

  /** Index of the slot with the highest cosine similarity to each query row (queries n x dim). */
  long[] nearest(NDArray queries, NDManager manager) {
    if (queries.getShape().dimension() != 2 || queries.getShape().get(1) != dim) {
      throw new IllegalArgumentException("queries must be n x " + dim + ", got " + queries.getShape());
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray bank = org.abdflow.api.HostTensors.of(scratch, slots, new Shape(size, dim));
      NDArray unit = bank.div(bank.norm(new int[] {1}, true));
      NDArray q = queries.stopGradient();
      q.attach(scratch);
      return q.matMul(unit.transpose()).argMax(1).toLongArray();
    }
  }

  /** The slots at {@code index} as an n x dim array on {@code manager}, outside any graph. */
  NDArray rows(long[] index, NDManager manager) {
    float[] out = new float[index.length * dim];
    for (int i = 0; i < index.length; i++) {
      System.arraycopy(slots, (int) index[i] * dim, out, i * dim, dim);
    }
    return manager.create(out, new Shape(index.length, dim));
  }
}
