package org.abdflow.engine.stages;

import java.util.ArrayList;
import java.util.List;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.values.PCollection;

/** Picking a stage's inputs apart by kind, with errors that name the transform. */
final class Stages {
  private Stages() {}

  /** The run's libtorch thread count ({@link org.abdflow.engine.AbdflowOptions#getTorchThreads}). */
  static int torchThreads(org.apache.beam.sdk.options.PipelineOptions options) {
    int t = options.as(org.abdflow.engine.AbdflowOptions.class).getTorchThreads();
    return t > 0 ? t : org.abdflow.model.ComputeThreads.defaultThreads();
  }

  /** Waits for this worker's cores for a training task of the run's thread count. */
  static org.abdflow.model.ComputeThreads.Permit heavyWork(org.apache.beam.sdk.options.PipelineOptions options)
      throws java.io.InterruptedIOException {
    try {
      return org.abdflow.model.ComputeThreads.heavy(torchThreads(options));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for the cores");
    }
  }

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
