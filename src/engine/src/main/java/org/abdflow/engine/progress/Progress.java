package org.abdflow.engine.progress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the stages working in this JVM have done so far, for a live display: records per stage,
 * steps of a training against its total, and notable events (an epoch's loss, a reused stage).
 * Stages report here beside their Beam metrics; the metrics stay the source of the report, this
 * is only what a person watches. On a cluster each worker JVM has its own, and the driver shows
 * its own work; the Flink web UI shows the rest.
 */
public final class Progress {
  private static final Map<String, Stage> STAGES = new LinkedHashMap<>();
  private static final ConcurrentLinkedQueue<String> EVENTS = new ConcurrentLinkedQueue<>();

  private Progress() {}

  /** A stage's progress at one instant; {@code total} is -1 when unknown (a stream of records). */
  public record Stage(String name, String unit, long done, long total, long firstNanos, long lastNanos, String detail) {
    /** Units per second since the stage's first report. */
    public double rate() {
      double s = (lastNanos - firstNanos) / 1e9;
      return s <= 0 ? 0 : done / s;
    }

    /** Seconds to go at the rate so far; -1 when unknown. */
    public double etaSeconds() {
      double r = rate();
      return total < 0 || r <= 0 ? -1 : Math.max(0, (total - done) / r);
    }
  }

  /** Record counts, updated per record without allocating: the hot path of every record stage. */
  private static final java.util.concurrent.ConcurrentHashMap<String, Counts> RECORDS = new java.util.concurrent.ConcurrentHashMap<>();

  private static final class Counts {
    final java.util.concurrent.atomic.LongAdder done = new java.util.concurrent.atomic.LongAdder();
    final long firstNanos = System.nanoTime();
    volatile long lastNanos = firstNanos;
  }

  /** {@code n} more records went through {@code stage}. */
  public static void records(String stage, long n) {
    Counts c = RECORDS.get(stage);
    if (c == null) {
      c = RECORDS.computeIfAbsent(stage, k -> {
        synchronized (STAGES) {
          STAGES.putIfAbsent(k, new Stage(k, "records", 0, -1, System.nanoTime(), System.nanoTime(), ""));
        }
        return new Counts();
      });
    }
    c.done.add(n);
    c.lastNanos = System.nanoTime();
  }

  /** A stage with a known amount of work (training steps, epochs): {@code done} of {@code total}. */
  public static void steps(String stage, String unit, long done, long total, String detail) {
    long now = System.nanoTime();
    synchronized (STAGES) {
      Stage s = STAGES.get(stage);
      boolean restart = s == null || !s.unit().equals(unit) || done < s.done();
      STAGES.put(stage, new Stage(stage, unit, done, total, restart ? now : s.firstNanos(), now, detail));
    }
  }

  /** A line worth keeping on screen (an epoch's loss, a stage taken from the cache). */
  public static void event(String line) {
    EVENTS.add(line);
    while (EVENTS.size() > 10_000) {
      EVENTS.poll();
    }
  }

  /** Every stage's progress so far, in the order they first reported. */
  public static List<Stage> snapshot() {
    List<Stage> out = new ArrayList<>();
    synchronized (STAGES) {
      for (Stage s : STAGES.values()) {
        Counts c = s.unit().equals("records") ? RECORDS.get(s.name()) : null;
        out.add(c == null ? s : new Stage(s.name(), s.unit(), c.done.sum(), -1, c.firstNanos, c.lastNanos, s.detail()));
      }
    }
    return out;
  }

  /** The events since the last call. */
  public static List<String> drainEvents() {
    List<String> out = new ArrayList<>();
    for (String e; (e = EVENTS.poll()) != null; ) {
      out.add(e);
    }
    return out;
  }

  /** Forgets everything (a new run in the same JVM). */
  public static void reset() {
    synchronized (STAGES) {
      STAGES.clear();
      RECORDS.clear();
    }
    EVENTS.clear();
  }
}
