package org.abdflow.engine.stages;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.abdflow.api.ArtifactInputs;
import org.abdflow.api.Augmenter;
import org.abdflow.api.Seeds;
import org.abdflow.api.image.Image;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.engine.plugins.PluginRegistry.LoadedExtension;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.schema.DeadLetter;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * An {@link Augmenter} extension as a stage: a ParDo that gives every record an augmented view of
 * its image and/or caption (the {@code augPixels} / {@code augCaption} fields), which a training
 * stage feeds to loss terms as the {@code image-aug} / {@code text-aug} views. An augmenter works
 * on the record's current view (the original when it has none), so chained augmenter stages
 * compose. Each record's randomness comes from (run seed, stage, record id): computed once per
 * sample, the same on every runner. A record the augmenter fails on becomes a dead letter.
 */
final class AugmentStage extends ExtensionStage<Augmenter<?>> {
  private static final TupleTag<Sample> AUGMENTED = new TupleTag<Sample>() {};

  /** Records plus at most this many artifacts (the kinds an augmenter declares). */
  private static final int MAX_ARTIFACTS = 4;

  AugmentStage(LoadedExtension loaded) {
    super((Augmenter<?>) loaded.extension(), 1, 1 + MAX_ARTIFACTS);
  }

  @Override
  @SuppressWarnings("unchecked")
  public StageOutput expand(StageContext context, TransformSpec transform, List<StageOutput> inputs) {
    String name = transform.name();
    List<PCollection<Sample>> recordInputs = Stages.records(transform, inputs);
    if (recordInputs.size() != 1) {
      throw new IllegalArgumentException(name + " (" + transform.type() + ") takes one set of records, got " + Stages.kinds(inputs));
    }
    PCollection<Sample> records = recordInputs.get(0);
    ExtensionRef ref = context.extensionRef(transform.type(), transform.config());
    List<String> kinds = ((Augmenter<Object>) extension).artifactKinds(configure(schema().parse(transform.config())));
    ArtifactViews artifacts = ArtifactViews.ofRecordsStage(name, transform.type(), kinds, inputs);
    PCollectionTuple out =
        records.apply(name + "/Augment",
            ParDo.of(new AugmentFn(ref, name, context.seed(name), artifacts))
                .withSideInputs(artifacts.sideInputs())
                .withOutputTags(AUGMENTED, TupleTagList.of(DeadLetters.TAG)));
    context.addDeadLetters(out.get(DeadLetters.TAG).setCoder(Coders.deadLetter()));
    return new StageOutput.Records(name, out.get(AUGMENTED).setCoder(Coders.sample()));
  }

  /** Augments records on a worker; the augmenter is resolved in {@code @Setup}. */
  static final class AugmentFn extends DoFn<Sample, Sample> {
    private final ExtensionRef ref;
    private final String stage;
    private final long runSeed;
    private final ArtifactViews artifactViews;
    private transient Augmenter<Object> augmenter;
    private transient Object config;
    private transient ArtifactInputs artifacts;

    AugmentFn(ExtensionRef ref, String stage, long runSeed) {
      this(ref, stage, runSeed, ArtifactViews.none());
    }

    AugmentFn(ExtensionRef ref, String stage, long runSeed, ArtifactViews artifactViews) {
      this.ref = ref;
      this.stage = stage;
      this.runSeed = runSeed;
      this.artifactViews = artifactViews;
    }

    @Setup
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void setup() {
      ExtensionRef.Resolved<Augmenter> r = ref.resolve(Augmenter.class);
      augmenter = r.extension();
      config = r.config();
    }

    @ProcessElement
    public void process(ProcessContext c, MultiOutputReceiver out) {
      Sample s = c.element();
      if (artifacts == null) {
        artifacts = artifactViews.resolve(c);
      }
      StageMetrics.in(stage).inc();
      long start = System.nanoTime();
      try {
        out.get(AUGMENTED).output(augment(s));
        StageMetrics.out(stage).inc();
      } catch (RuntimeException e) {
        DeadLetter d = DeadLetters.of(stage, s.getId(), "record " + s.getId(), Records.bytes(s.getPixels()), e);
        out.get(DeadLetters.TAG).output(d);
        StageMetrics.dead(stage).inc();
      }
      StageMetrics.worked(stage, start);
    }

    Sample augment(Sample s) {
      // one stream per record, split so the image and caption draws do not depend on each other
      SplittableRandom rng = new SplittableRandom(Seeds.forRecord(runSeed, stage, s.getId()));
      SplittableRandom imageRng = rng.split();
      SplittableRandom textRng = rng.split();
      Image current = s.getAugPixels() == null ? Records.image(s) : Records.view(s);
      Image image = augmenter.augmentImage(current, config, imageRng, artifacts == null ? ArtifactInputs.none() : artifacts);
      boolean toRgb = s.getChannels() == 1 && image.channels() == 3;
      if (image.height() != s.getHeight() || image.width() != s.getWidth() || (image.channels() != s.getChannels() && !toRgb)) {
        throw new IllegalStateException(ref.type() + " changed the image's shape from " + s.getHeight() + "x" + s.getWidth()
            + "x" + s.getChannels() + " to " + image.height() + "x" + image.width() + "x" + image.channels());
      }
      String caption = s.getAugCaption() == null ? s.getCaption() : s.getAugCaption();
      String augCaption = augmenter.augmentCaption(caption, config, textRng);
      List<String> applied = new ArrayList<>(s.getAugmenters());
      applied.add(stage);
      // the view and the record share one shape: a grey record with an RGB view becomes RGB itself
      Sample.Builder b = Sample.newBuilder(toRgb ? Records.withImage(s, Records.image(s).toRgb()) : s).setAugmenters(applied);
      if (image != current) {
        b.setAugPixels(ByteBuffer.wrap(image.pixels()));
      }
      if (!augCaption.equals(caption) || s.getAugCaption() != null) {
        b.setAugCaption(augCaption);
      }
      return b.build();
    }
  }
}
