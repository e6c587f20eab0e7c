package org.abdflow.engine.stages;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.abdflow.api.ArtifactInputs;
import org.abdflow.api.Attack;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.Seeds;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.engine.plugins.PluginRegistry.LoadedExtension;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.schema.Lineage;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableComparator;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * An {@link Attack} extension as a stage: chooses the records to poison from a hash of (seed,
 * stage, id), so every runner poisons the same ones; stamps the trigger, rewrites the caption and
 * records the lineage. Records not chosen pass through unchanged.
 */
final class PoisonStage extends ExtensionStage<Attack<?>> {
  /** Records plus at most this many artifacts (the kinds an attack declares, e.g. an optimised patch). */
  private static final int MAX_ARTIFACTS = 4;

  PoisonStage(LoadedExtension loaded) {
    super((Attack<?>) loaded.extension(), 1, 1 + MAX_ARTIFACTS);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public StageOutput expand(StageContext context, TransformSpec transform, List<StageOutput> inputs) {
    String name = transform.name();
    PCollection<Sample> records = Stages.records(transform, inputs).get(0);
    ExtensionRef ref = context.extensionRef(transform.type(), transform.config());
    ExtensionRef.Resolved<Attack> resolved = ref.resolve(Attack.class);
    PoisoningOptions options = resolved.extension().poisoning(resolved.config());
    List<String> kinds = resolved.extension().artifactKinds(resolved.config());
    ArtifactViews artifacts = ArtifactViews.ofRecordsStage(name, transform.type(), kinds, inputs);
    if (!kinds.isEmpty() && options.redraw()) {
      throw new org.abdflow.api.config.ConfigException("redraw", "redrawing the trigger is not supported for an attack that reads artifacts " + kinds);
    }
    long selectSeed = Seeds.forStage(context.seed(name), name + "/select");

    PCollectionView<List<String>> chosen = null;
    if (options.count() >= 0) {
      // An exact count needs one global choice: the records with the largest hashes.
      chosen =
          records
              .apply(name + "/Eligible", ParDo.of(new EligibleFn(ref)))
              .setCoder(Coders.sample())
              .apply(name + "/Hash", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.strings()))
                  .via((Sample s) -> KV.of(Seeds.mix(selectSeed, Seeds.forRecord(0, "", s.getId())), s.getId())))
              .apply(name + "/Choose", Top.of(options.count(), new ByHash()))
              .apply(name + "/Chosen", MapElements.into(TypeDescriptors.lists(TypeDescriptors.strings()))
                  .via((List<KV<Long, String>> top) -> top.stream().map(KV::getValue).collect(Collectors.toList())))
              .apply(name + "/AsView", View.asSingleton());
    }
    PoisonFn fn = new PoisonFn(ref, name, context.seed(name), selectSeed, options, chosen, artifacts);
    ParDo.SingleOutput<Sample, Sample> parDo = ParDo.of(fn).withSideInputs(artifacts.sideInputs());
    if (chosen != null) {
      parDo = parDo.withSideInputs(chosen);
    }
    return new StageOutput.Records(name, records.apply(name + "/Poison", parDo).setCoder(Coders.sample()));
  }

  /** Keeps the records the attack may poison. */
  static final class EligibleFn extends DoFn<Sample, Sample> {
    private final ExtensionRef ref;
    private transient Attack<Object> attack;
    private transient Object config;

    EligibleFn(ExtensionRef ref) {
      this.ref = ref;
    }

    @Setup
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void setup() {
      ExtensionRef.Resolved<Attack> r = ref.resolve(Attack.class);
      attack = r.extension();
      config = r.config();
    }

    @ProcessElement
    public void process(@Element Sample s, OutputReceiver<Sample> out) {
      if (attack.eligible(s.getCaption(), config)) {
        out.output(s);
      }
    }
  }

  /** Orders (hash, id) pairs; ties broken by id so the choice is total. */
  static final class ByHash implements SerializableComparator<KV<Long, String>> {
    @Override
    public int compare(KV<Long, String> a, KV<Long, String> b) {
      int c = Long.compare(a.getKey(), b.getKey());
      return c != 0 ? c : a.getValue().compareTo(b.getValue());
    }
  }

  /** Poisons the chosen records on a worker; the attack is resolved in {@code @Setup}. */
  static final class PoisonFn extends DoFn<Sample, Sample> {
    private final ExtensionRef ref;
    private final String stage;
    private final long runSeed;
    private final long selectSeed;
    private final PoisoningOptions options;
    private final PCollectionView<List<String>> chosenView;
    private final ArtifactViews artifactViews;
    private transient ArtifactInputs artifacts;
    private transient Attack<Object> attack;
    private transient Object config;
    private transient String configJson;
    private transient Set<String> chosen;

    PoisonFn(ExtensionRef ref, String stage, long runSeed, long selectSeed, PoisoningOptions options,
        PCollectionView<List<String>> chosenView, ArtifactViews artifactViews) {
      this.artifactViews = artifactViews;
      this.ref = ref;
      this.stage = stage;
      this.runSeed = runSeed;
      this.selectSeed = selectSeed;
      this.options = options;
      this.chosenView = chosenView;
    }

    @Setup
    @SuppressWarnings("unchecked")
    public void setup() {
      ExtensionRef.Resolved<Attack> r = ref.resolve(Attack.class);
      attack = r.extension();
      config = r.config();
      configJson = Json.compact(r.values().asMap());
    }

    @StartBundle
    public void startBundle() {
      chosen = null;
    }

    @ProcessElement
    public void process(@Element Sample s, OutputReceiver<Sample> out, ProcessContext c) {
      StageMetrics.in(stage).inc();
      long start = System.nanoTime();
      boolean poison;
      if (chosenView != null) {
        if (chosen == null) {
          chosen = Set.copyOf(c.sideInput(chosenView));
        }
        poison = chosen.contains(s.getId());
      } else {
        long h = Seeds.mix(selectSeed, Seeds.forRecord(0, "", s.getId()));
        poison = (h >>> 11) * 0x1.0p-53 < options.rate() && attack.eligible(s.getCaption(), config);
      }
      if (!poison) {
        out.output(s);
      } else {
        SplittableRandom rng = new SplittableRandom(Seeds.forRecord(runSeed, stage, s.getId()));
        Sample clean = s;
        if (artifacts == null) {
          artifacts = artifactViews.resolve(c);
        }
        Sample poisoned = Records.withImage(clean, attack.trigger(Records.image(clean), config, rng, artifacts));
        Lineage lineage =
            Lineage.newBuilder()
                .setStage(stage)
                .setAttack(ref.type())
                .setAttackConfig(configJson)
                .setSourceId(clean.getId())
                .setOriginalCaption(clean.getCaption())
                .setOriginalImage(options.redraw() ? ByteBuffer.wrap(Records.bytes(clean.getPixels())) : null)
                .setRedraw(options.redraw())
                .build();
        out.output(
            Sample.newBuilder(poisoned)
                .setId(stage + "/" + clean.getId())
                .setCaption(attack.poisonCaption(clean.getCaption(), config, rng))
                .setLineage(lineage)
                .build());
        Metrics.poisoned(stage).inc();
      }
      StageMetrics.out(stage).inc();
      StageMetrics.worked(stage, start);
    }
  }

  /** The attack's own counter. */
  static final class Metrics {
    static org.apache.beam.sdk.metrics.Counter poisoned(String stage) {
      return org.apache.beam.sdk.metrics.Metrics.counter(StageMetrics.namespace(stage), "poisoned");
    }
  }
}
