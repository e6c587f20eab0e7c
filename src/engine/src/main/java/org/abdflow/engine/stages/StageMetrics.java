package org.abdflow.engine.stages;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The counters every stage keeps under its own name, which the report reads back from the
 * runner: records in and out, failed records, and nanoseconds of work inside the stage (summed over workers).
 */
public final class StageMetrics {
  public static final String RECORDS_IN = "records_in";
  public static final String RECORDS_OUT = "records_out";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String NANOS = "nanos";

  private StageMetrics() {}

  public static Counter in(String stage) {
    return Metrics.counter(namespace(stage), RECORDS_IN);
  }

  public static Counter out(String stage) {
    return Metrics.counter(namespace(stage), RECORDS_OUT);
  }

  public static Counter dead(String stage) {
    return Metrics.counter(namespace(stage), DEAD_LETTERS);
  }

  public static Counter nanos(String stage) {
    return Metrics.counter(namespace(stage), NANOS);
  }

  /** The metrics namespace of a stage. */
  public static String namespace(String stage) {
    return "abdflow/" + stage;
  }
}
