package org.abdflow.engine.stages;

import org.abdflow.api.Metric;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.schema.Prediction;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/** Asks a metric plugin whether each prediction counts and is a hit, keyed by (model, attack, metric). */
final class MetricHitFn extends DoFn<Prediction, KV<String, Boolean>> {
  static final String SEP = "\u0001";
  private final ExtensionRef ref;
  private transient Metric<Object> metric;
  private transient Object config;
  private transient String name;

  MetricHitFn(ExtensionRef ref) {
    this.ref = ref;
  }

  @Setup
  @SuppressWarnings("unchecked")
  public void setup() {
    @SuppressWarnings("rawtypes")
    ExtensionRef.Resolved<Metric> r = ref.resolve(Metric.class);
    metric = r.extension();
    config = r.config();
    name = metric.name(config);
  }

  @ProcessElement
  public void process(@Element Prediction p, OutputReceiver<KV<String, Boolean>> out) {
    if (metric.appliesTo(p, config)) {
      out.output(KV.of(p.getModel() + SEP + p.getAttack() + SEP + name, metric.hit(p, config)));
    }
  }
}
