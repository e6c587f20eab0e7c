package org.abdflow.engine.stages;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHints;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.POutput;

/**
 * A transform wrapped in a composite that carries resource hints. Hints set on a primitive are lost
 * when a runner replaces it (Dataflow swaps every ParDo for its own); the replacement inherits the
 * enclosing composite's, as Beam documents for hints on composites.
 */
final class Hinted<T, OutputT extends POutput> extends PTransform<PCollection<T>, OutputT> {
  private final PTransform<? super PCollection<T>, OutputT> inner;

  Hinted(PTransform<? super PCollection<T>, OutputT> inner, ResourceHints hints) {
    this.inner = inner;
    setResourceHints(hints);
  }

  @Override
  public OutputT expand(PCollection<T> input) {
    return input.apply(inner);
  }
}
