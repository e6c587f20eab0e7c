package org.abdflow.engine.stages;

import org.abdflow.schema.MetricResult;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.Rule;
import org.junit.Test;

public class HitRateFnTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static String key(String model, String attack, String metric) {
    return model + MetricHitFn.SEP + attack + MetricHitFn.SEP + metric;
  }

  @Test
  public void ratePerModelAttackAndMetric() {
    PCollection<MetricResult> results =
        pipeline
            .apply(Create.of(
                    KV.of(key("victim", "poisoned", "attack_success_rate"), true),
                    KV.of(key("victim", "poisoned", "attack_success_rate"), true),
                    KV.of(key("victim", "poisoned", "attack_success_rate"), false),
                    KV.of(key("victim", "poisoned", "attack_success_rate"), true),
                    KV.of(key("clean", "none", "clean_accuracy"), true),
                    KV.of(key("clean", "none", "clean_accuracy"), false))
                .withCoder(KvCoder.of(StringUtf8Coder.of(), BooleanCoder.of())))
            .apply(Combine.perKey(new HitRateFn()))
            .apply(MapElements.into(TypeDescriptor.of(MetricResult.class)).via(HitRateFn::toResult))
            .setCoder(Coders.metricResult());
    PAssert.that(results).containsInAnyOrder(
        MetricResult.newBuilder().setModel("victim").setAttack("poisoned").setMetric("attack_success_rate").setValue(0.75).setCount(4).build(),
        MetricResult.newBuilder().setModel("clean").setAttack("none").setMetric("clean_accuracy").setValue(0.5).setCount(2).build());
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void mergingPartialCountsGivesTheOverallRate() {
    HitRateFn fn = new HitRateFn();
    HitRateFn.Counts a = fn.addInput(fn.addInput(fn.createAccumulator(), true), false);
    HitRateFn.Counts b = fn.addInput(fn.createAccumulator(), true);
    HitRateFn.Counts merged = fn.mergeAccumulators(java.util.List.of(a, b, fn.createAccumulator()));
    org.junit.Assert.assertEquals(3, merged.total);
    org.junit.Assert.assertEquals(2.0 / 3, merged.rate(), 1e-12);
  }
}
