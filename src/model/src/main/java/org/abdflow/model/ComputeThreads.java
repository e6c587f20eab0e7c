package org.abdflow.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * libtorch's intra-op threads for model work, and how many training tasks share a JVM's cores.
 *
 * <p>A run fixes one thread count for all its model work ({@link #use}), because libtorch's results
 * change in the last bits with the thread count: a fixed count keeps runs reproducible and equal
 * across runners. A training or generator task also takes one of {@code cores / threads} permits
 * ({@link #heavy}), so tasks never oversubscribe the cores. That lets OpenMP wait by spinning
 * briefly, its default: with four training stages of two threads each on two cores, spinning
 * threads took the cores from each other, and waiting passively instead ({@code
 * OMP_WAIT_POLICY=PASSIVE}) cost 35 % of a training step that runs alone (README, Speed).
 */
public final class ComputeThreads {
  private static final Map<Integer, Semaphore> PERMITS = new ConcurrentHashMap<>();
  private static final ThreadLocal<Integer> APPLIED = new ThreadLocal<>();

  private ComputeThreads() {}

  /** This JVM's cores for libtorch: {@code ai.djl.pytorch.num_threads}, else every core. */
  public static int cores() {
    return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
  }

  /** A run's thread count when none is given: this machine's cores. */
  public static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * Sets the calling thread's libtorch intra-op threads to {@code threads}, when it has another
   * count: libtorch sizes its OpenMP pool per calling thread, and a change clears its oneDNN
   * primitive cache, so it is done once per thread.
   */
  public static void use(int threads) {
    Integer applied = APPLIED.get();
    if (applied == null || applied != threads) {
      ai.djl.engine.Engine.getEngine("PyTorch");
      ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
      APPLIED.set(threads);
    }
  }

  /**
   * Waits for one of this JVM's {@code max(1, cores / threads)} permits for tasks of {@code
   * threads} threads, then {@link #use}s them on the calling thread; close the permit when done.
   */
  public static Permit heavy(int threads) throws InterruptedException {
    Semaphore permits = PERMITS.computeIfAbsent(threads, t -> new Semaphore(Math.max(1, cores() / t), true));
    permits.acquire();
    use(threads);
    return new Permit(permits);
  }

  /** A training task's share of the cores; closing it twice is harmless. */
  public static final class Permit implements AutoCloseable {
    private Semaphore permits;

    private Permit(Semaphore permits) {
      this.permits = permits;
    }

    @Override
    public void close() {
      if (permits != null) {
        permits.release();
        permits = null;
      }
    }
  }
}
