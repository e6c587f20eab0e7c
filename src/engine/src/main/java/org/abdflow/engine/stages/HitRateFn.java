package org.abdflow.engine.stages;

import java.io.Serializable;
import org.abdflow.schema.MetricResult;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.KV;

/** The fraction of hits, as a combiner: partial counts merge across workers. */
final class HitRateFn extends Combine.CombineFn<Boolean, HitRateFn.Counts, HitRateFn.Counts> {

  /** Hits and total. */
  static final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;
    long hits;
    long total;

    double rate() {
      return total == 0 ? 0.0 : (double) hits / total;
    }

    // a value equality, so Beam's coder checks can compare decoded accumulators
    @Override
    public boolean equals(Object o) {
      return o instanceof Counts c && c.hits == hits && c.total == total;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(hits) * 31 + Long.hashCode(total);
    }
  }

  @Override
  public Counts createAccumulator() {
    return new Counts();
  }

  @Override
  public Counts addInput(Counts acc, Boolean hit) {
    acc.total++;
    if (hit) {
      acc.hits++;
    }
    return acc;
  }

  @Override
  public Counts mergeAccumulators(Iterable<Counts> accs) {
    Counts sum = new Counts();
    for (Counts c : accs) {
      sum.hits += c.hits;
      sum.total += c.total;
    }
    return sum;
  }

  @Override
  public Counts extractOutput(Counts acc) {
    return acc;
  }

  @Override
  public Coder<Counts> getAccumulatorCoder(CoderRegistry registry, Coder<Boolean> inputCoder) {
    return SerializableCoder.of(Counts.class);
  }

  @Override
  public Coder<Counts> getDefaultOutputCoder(CoderRegistry registry, Coder<Boolean> inputCoder) {
    return SerializableCoder.of(Counts.class);
  }

  /** (model, attack, metric) key and counts as a result record. */
  static MetricResult toResult(KV<String, Counts> kv) {
    String[] parts = kv.getKey().split(MetricHitFn.SEP, -1);
    return MetricResult.newBuilder()
        .setModel(parts[0])
        .setAttack(parts[1])
        .setMetric(parts[2])
        .setValue(kv.getValue().rate())
        .setCount(kv.getValue().total)
        .build();
  }
}
