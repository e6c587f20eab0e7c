package org.abdflow.engine.stages;

import org.abdflow.schema.DeadLetter;
import org.abdflow.schema.MetricResult;
import org.abdflow.schema.Prediction;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;

/** The coders of the engine's records (Avro, generated classes). */
public final class Coders {
  private Coders() {}

  public static AvroCoder<Sample> sample() {
    return AvroCoder.of(Sample.class);
  }

  public static AvroCoder<DeadLetter> deadLetter() {
    return AvroCoder.of(DeadLetter.class);
  }

  public static AvroCoder<Prediction> prediction() {
    return AvroCoder.of(Prediction.class);
  }

  public static AvroCoder<MetricResult> metricResult() {
    return AvroCoder.of(MetricResult.class);
  }
}
