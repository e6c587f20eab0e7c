package org.abdflow.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.function.Consumer;

/**
 * Java arrays to tensors without leaving native memory for the garbage collector.
 *
 * <p>{@code NDManager.create(float[], Shape)} copies the array into a fresh direct buffer that the
 * tensor then borrows; that buffer is freed only when a GC finds it unreachable, long after the
 * tensor is closed. Per batch that is megabytes, and over a long stage hundreds of them wait for a
 * GC (the RSS grows with the data). Here the array goes through one direct buffer per thread,
 * reused, and the tensor is libtorch's own copy of it, freed when the tensor is closed.
 * {@link #ofFloats} also spares the Java array: a batch writes its values straight into the
 * staging buffer, so no batch-sized array lands on the heap (where G1 treats it as humongous).
 */
public final class HostTensors {
  /** Below this a staging buffer saves nothing worth a second copy. */
  private static final int SMALL_BYTES = 16 * 1024;

  private static final ThreadLocal<ByteBuffer> STAGING = new ThreadLocal<>();

  private HostTensors() {}

  /** A float32 tensor of {@code shape} on {@code manager} holding {@code values} (row-major). */
  public static NDArray of(NDManager manager, float[] values, Shape shape) {
    checkSize(values.length, shape);
    if (values.length * Float.BYTES < SMALL_BYTES) {
      return manager.create(values, shape);
    }
    ByteBuffer staged = staging(values.length * Float.BYTES);
    try {
      staged.asFloatBuffer().put(values);
      return ownedCopy(manager, staged, shape, DataType.FLOAT32);
    } finally {
      release(staged);
    }
  }

  /** An int32 tensor of {@code shape} on {@code manager} holding {@code values} (row-major). */
  public static NDArray of(NDManager manager, int[] values, Shape shape) {
    checkSize(values.length, shape);
    if (values.length * Integer.BYTES < SMALL_BYTES) {
      return manager.create(values, shape);
    }
    ByteBuffer staged = staging(values.length * Integer.BYTES);
    try {
      staged.asIntBuffer().put(values);
      return ownedCopy(manager, staged, shape, DataType.INT32);
    } finally {
      release(staged);
    }
  }

  /**
   * A float32 tensor of {@code shape} on {@code manager} whose row-major values {@code fill} writes
   * into the buffer it is given (absolute puts; the buffer holds exactly {@code shape.size()}
   * values, initially unspecified).
   */
  public static NDArray ofFloats(NDManager manager, Shape shape, Consumer<FloatBuffer> fill) {
    long bytes = shape.size() * Float.BYTES;
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + shape + " is too large for one host buffer");
    }
    ByteBuffer staged = staging((int) bytes);
    try {
      fill.accept(staged.asFloatBuffer());
      return ownedCopy(manager, staged, shape, DataType.FLOAT32);
    } finally {
      release(staged);
    }
  }

  private static void checkSize(int length, Shape shape) {
    if (shape.size() != length) {
      throw new IllegalArgumentException(length + " values do not fill shape " + shape);
    }
  }

  private static NDArray ownedCopy(NDManager manager, ByteBuffer staged, Shape shape, DataType type) {
    // A direct ByteBuffer is borrowed, not copied, by DJL's PyTorch engine: the copy below is the
    // tensor's own storage, so the staging buffer can be refilled at once.
    try (NDArray view = manager.create(staged, shape, type)) {
      return view.duplicate();
    }
  }

  private static ByteBuffer staging(int bytes) {
    ByteBuffer b = STAGING.get();
    if (b == null || b.capacity() < bytes) {
      long grown = b == null ? bytes : Math.max(bytes, Math.min(Integer.MAX_VALUE, 2L * b.capacity()));
      b = ByteBuffer.allocateDirect((int) grown).order(ByteOrder.nativeOrder());
    }
    // Taken from the thread while in use: a fill that itself makes a tensor gets a buffer of its own.
    STAGING.remove();
    b.clear().limit(bytes);
    return b;
  }

  private static void release(ByteBuffer b) {
    STAGING.set(b);
  }
}
