package org.abdflow.engine.stages;

import java.util.SplittableRandom;
import org.abdflow.api.ArtifactInputs;
import org.abdflow.api.Attack;
import org.abdflow.api.Seeds;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/** Stamps an attack's trigger on test images, with a fresh draw per image (PAPER.md §4.3). */
final class TriggerFn extends DoFn<Sample, KV<String, Sample>> {
  private final String stage;
  private final String attackName;
  private final ExtensionRef ref;
  private final long runSeed;
  private final ArtifactViews artifactViews;
  private transient ArtifactInputs artifacts;
  private transient Attack<Object> attack;
  private transient Object config;

  TriggerFn(String stage, String attackName, ExtensionRef ref, long runSeed, ArtifactViews artifactViews) {
    this.artifactViews = artifactViews;
    this.stage = stage;
    this.attackName = attackName;
    this.ref = ref;
    this.runSeed = runSeed;
  }

  @Setup
  @SuppressWarnings("unchecked")
  public void setup() {
    @SuppressWarnings("rawtypes")
    ExtensionRef.Resolved<Attack> r = ref.resolve(Attack.class);
    attack = r.extension();
    config = r.config();
  }

  @ProcessElement
  public void process(ProcessContext c) {
    Sample s = c.element();
    if (artifacts == null) {
      artifacts = artifactViews.resolve(c);
    }
    long start = System.nanoTime();
    SplittableRandom rng = new SplittableRandom(Seeds.forRecord(runSeed, stage + "/" + attackName, s.getId()));
    c.output(KV.of(attackName, Records.withImage(s, attack.trigger(Records.image(s), config, rng, artifacts))));
    StageMetrics.worked(stage, start);
  }
}
