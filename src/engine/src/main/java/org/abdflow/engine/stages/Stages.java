package org.abdflow.engine.stages;

import java.util.ArrayList;
import java.util.List;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.values.PCollection;

/** Picking a stage's inputs apart by kind, with errors that name the transform. */
final class Stages {
  private Stages() {}

  static List<PCollection<Sample>> records(TransformSpec t, List<StageOutput> inputs) {
    List<PCollection<Sample>> out = new ArrayList<>();
    for (StageOutput o : inputs) {
      if (o instanceof StageOutput.Records r) {
        out.add(r.records());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(t.name() + " (" + t.type() + ") needs records as input, got " + kinds(inputs));
    }
    return out;
  }

  static List<StageOutput.Model> models(List<StageOutput> inputs) {
    List<StageOutput.Model> out = new ArrayList<>();
    for (StageOutput o : inputs) {
      if (o instanceof StageOutput.Model m) {
        out.add(m);
      }
    }
    return out;
  }

  /** The input artifacts of {@code kind}, in input order. */
  static List<StageOutput.Artifact> artifacts(List<StageOutput> inputs, String kind) {
    List<StageOutput.Artifact> out = new ArrayList<>();
    for (StageOutput o : inputs) {
      if (o instanceof StageOutput.Artifact a && a.kind().equals(kind)) {
        out.add(a);
      }
    }
    return out;
  }

  static String kinds(List<StageOutput> inputs) {
    List<String> k = new ArrayList<>();
    for (StageOutput o : inputs) {
      k.add(o.stage() + " (" + o.getClass().getSimpleName().toLowerCase() + ")");
    }
    return k.toString();
  }
}
