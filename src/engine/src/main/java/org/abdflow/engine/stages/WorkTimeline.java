package org.abdflow.engine.stages;

import java.util.Map;
import java.util.TreeMap;

/**
 * The instants at which any stage of this JVM was working, as a union of intervals: what a run on
 * an in-process runner spent inside stages, so that its wall time minus this is the runner's own
 * share (graph translation, shuffles, side inputs, scheduling). Workers of a cluster keep their own.
 */
public final class WorkTimeline {
  private static final TreeMap<Long, Long> INTERVALS = new TreeMap<>();

  private WorkTimeline() {}

  /** Adds the interval [{@code startNanos}, {@code endNanos}) of {@link System#nanoTime}. */
  static synchronized void add(long startNanos, long endNanos) {
    long start = startNanos;
    long end = endNanos;
    Map.Entry<Long, Long> before = INTERVALS.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
    }
    Map.Entry<Long, Long> next = INTERVALS.ceilingEntry(start);
    while (next != null && next.getKey() <= end) {
      end = Math.max(end, next.getValue());
      INTERVALS.remove(next.getKey());
      next = INTERVALS.ceilingEntry(start);
    }
    INTERVALS.put(start, end);
  }

  /** Seconds covered by work since the last {@link #reset}. */
  public static synchronized double busySeconds() {
    long sum = 0;
    for (Map.Entry<Long, Long> e : INTERVALS.entrySet()) {
      sum += e.getValue() - e.getKey();
    }
    return sum / 1e9;
  }

  /** Forgets every interval. */
  public static synchronized void reset() {
    INTERVALS.clear();
  }
}
