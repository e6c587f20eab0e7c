package org.abdflow.engine.stages;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The counters every stage keeps under its own name, which the report reads back from the
 * runner: records in and out, failed records, nanoseconds of work inside the stage (summed over
 * workers), and the wall-clock instants work began and ended (a distribution whose min and max,
 * over every worker, give the stage's span: what a throughput at some parallelism is measured on).
 */
public final class StageMetrics {
  public static final String RECORDS_IN = "records_in";
  public static final String RECORDS_OUT = "records_out";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String NANOS = "nanos";
  public static final String ACTIVE_MILLIS = "active_epoch_ms";
  public static final String REUSED = "reused";
  public static final String COMPUTED = "computed";

  private StageMetrics() {}

  public static Counter in(String stage) {
    return Metrics.counter(namespace(stage), RECORDS_IN);
  }

  /** Records out; also what the live display counts ({@link org.abdflow.engine.progress.Progress}). */
  public static Counter out(String stage) {
    // one per stage: Beam's counters find the current worker's container when incremented
    return OUT.computeIfAbsent(stage, s -> new WatchedCounter(Metrics.counter(namespace(s), RECORDS_OUT), s));
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, Counter> OUT = new java.util.concurrent.ConcurrentHashMap<>();

  /** A Beam counter whose increments also reach the live display. */
  private record WatchedCounter(Counter counter, String stage) implements Counter {
    @Override
    public void inc() {
      inc(1);
    }

    @Override
    public void inc(long n) {
      counter.inc(n);
      org.abdflow.engine.progress.Progress.records(stage, n);
    }

    @Override
    public void dec() {
      counter.dec();
    }

    @Override
    public void dec(long n) {
      counter.dec(n);
    }

    @Override
    public org.apache.beam.sdk.metrics.MetricName getName() {
      return counter.getName();
    }
  }

  public static Counter dead(String stage) {
    return Metrics.counter(namespace(stage), DEAD_LETTERS);
  }

  public static Counter nanos(String stage) {
    return Metrics.counter(namespace(stage), NANOS);
  }

  /** Outputs taken from the stage cache instead of computed. */
  public static Counter reused(String stage) {
    return Metrics.counter(namespace(stage), REUSED);
  }

  /**
   * Outputs of a cached stage that were computed because no earlier run had them: a stage is
   * reused only when it counts reused outputs and no computed ones.
   */
  public static Counter computed(String stage) {
    return Metrics.counter(namespace(stage), COMPUTED);
  }

  /** Epoch milliseconds at which the stage was working: min and max bound its span. */
  public static Distribution active(String stage) {
    return Metrics.distribution(namespace(stage), ACTIVE_MILLIS);
  }

  /** Records a piece of the stage's work that began at {@code startNanos} ({@link System#nanoTime}) and ends now. */
  public static void worked(String stage, long startNanos) {
    long end = System.nanoTime();
    long elapsed = end - startNanos;
    WorkTimeline.add(startNanos, end);
    nanos(stage).inc(elapsed);
    long now = System.currentTimeMillis();
    active(stage).update(now - elapsed / 1_000_000);
    active(stage).update(now);
  }

  /** The metrics namespace of a stage. */
  public static String namespace(String stage) {
    return "abdflow/" + stage;
  }
}
