package org.abdflow.engine.stages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.abdflow.api.Seeds;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.Image;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.model.adv.AdvPatch;
import org.abdflow.schema.DeadLetter;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * {@code PastePatch}: ABD's image augmentation (PAPER.md §1.4) — every record gets the patch of an
 * {@code AdvClipPatch} artifact pasted on its image, as the record's augmented image view I_adv,
 * at a random top-left corner per record (seeded by run, stage and id) or at the patch's own
 * place. Grey records become RGB (replicated, so the model sees the same image) because the patch
 * has colour. Inputs: records and one {@code adv-patch} artifact.
 */
final class PastePatchStage implements StageType {
  private static final TupleTag<Sample> PATCHED = new TupleTag<Sample>() {};

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addEnum("position", "random", List.of("random", "fixed"),
              "where the patch goes: a uniformly random corner per record (as Fig. 1 shows it) or where it was optimised [I]")
          .addEnum("fill", "patch", List.of("patch", "noise"),
              "what is pasted: the generated patch, or (a control) uniform random 8-bit noise of the patch's size, drawn per record")
          .build();

  @Override
  public String type() {
    return "PastePatch";
  }

  @Override
  public String description() {
    return "pastes an AdvClipPatch patch on every record's image as its augmented view (ABD's I_adv)";
  }

  @Override
  public ConfigSchema schema() {
    return SCHEMA;
  }

  @Override
  public int minInputs() {
    return 2;
  }

  @Override
  public int maxInputs() {
    return 2;
  }

  @Override
  public Object configure(ConfigValues values) {
    return List.of(values.getString("position"), values.getString("fill"));
  }

  @Override
  public StageOutput expand(StageContext context, TransformSpec transform, List<StageOutput> inputs) {
    String name = transform.name();
    @SuppressWarnings("unchecked")
    List<String> config = (List<String>) configure(schema().parse(transform.config()));
    List<StageOutput.Artifact> patches = Stages.artifacts(inputs, AdvPatchStage.KIND);
    if (patches.size() != 1) {
      throw new ConfigException("input", "PastePatch takes one AdvClipPatch output besides the records, got " + Stages.kinds(inputs));
    }
    PCollection<Sample> records = Stages.records(transform, inputs).get(0);
    PCollectionView<String> patch = patches.get(0).path().apply(name + "/Patch", View.asSingleton());
    PCollectionTuple out =
        records.apply(name + "/Paste",
            ParDo.of(new PasteFn(name, context.seed(), config.get(0).equals("random"), config.get(1).equals("noise"), patch))
                .withSideInputs(patch)
                .withOutputTags(PATCHED, TupleTagList.of(DeadLetters.TAG)));
    context.addDeadLetters(out.get(DeadLetters.TAG).setCoder(Coders.deadLetter()));
    return new StageOutput.Records(name, out.get(PATCHED).setCoder(Coders.sample()));
  }

  /** Pastes on a worker; the patch is read once per worker from the artifact path. */
  static final class PasteFn extends DoFn<Sample, Sample> {
    private final String stage;
    private final long runSeed;
    private final boolean random;
    private final boolean noise;
    private final PCollectionView<String> patchPath;
    private transient AdvPatch patch;

    PasteFn(String stage, long runSeed, boolean random, boolean noise, PCollectionView<String> patchPath) {
      this.stage = stage;
      this.runSeed = runSeed;
      this.random = random;
      this.noise = noise;
      this.patchPath = patchPath;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Sample s = c.element();
      StageMetrics.in(stage).inc();
      long start = System.nanoTime();
      if (patch == null) {
        try {
          patch = AdvPatch.load(Path.of(c.sideInput(patchPath)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      try {
        c.output(paste(s));
        StageMetrics.out(stage).inc();
      } catch (RuntimeException e) {
        DeadLetter d = DeadLetters.of(stage, s.getId(), "record " + s.getId(), Records.bytes(s.getPixels()), e);
        c.output(DeadLetters.TAG, d);
        StageMetrics.dead(stage).inc();
      }
      StageMetrics.nanos(stage).inc(System.nanoTime() - start);
    }

    Sample paste(Sample s) {
      Image image = Records.image(s);
      int side = patch.mask().side();
      if (image.height() != patch.resolution() || image.width() != patch.resolution()) {
        throw new IllegalArgumentException("record " + s.getId() + " is " + image.height() + "x" + image.width()
            + " but the patch was made for " + patch.resolution() + " px images (resize the source to the model's size)");
      }
      int row;
      int col;
      SplittableRandom rng = new SplittableRandom(Seeds.forRecord(runSeed, stage, s.getId()));
      if (random) {
        row = rng.nextInt(image.height() - side + 1);
        col = rng.nextInt(image.width() - side + 1);
      } else {
        row = patch.mask().row();
        col = patch.mask().col();
      }
      Image base = image.channels() == 3 ? image : grey3(image);
      Image pasted = noise ? pasteNoise(base, row, col, side, rng) : patch.paste(base, row, col);
      List<String> applied = new ArrayList<>(s.getAugmenters());
      applied.add(stage);
      return Sample.newBuilder(Records.withImage(s, base))
          .setAugPixels(ByteBuffer.wrap(pasted.pixels()))
          .setAugmenters(applied)
          .build();
    }

    private static Image pasteNoise(Image rgb, int row, int col, int side, SplittableRandom rng) {
      byte[] out = rgb.pixels();
      int w = rgb.width();
      for (int y = row; y < row + side; y++) {
        for (int x = col; x < col + side; x++) {
          for (int c = 0; c < 3; c++) {
            out[(y * w + x) * 3 + c] = (byte) rng.nextInt(256);
          }
        }
      }
      return Image.wrap(rgb.height(), w, 3, out);
    }

    static Image grey3(Image grey) {
      byte[] g = grey.unsafeBytes();
      byte[] rgb = new byte[g.length * 3];
      for (int i = 0; i < g.length; i++) {
        rgb[3 * i] = g[i];
        rgb[3 * i + 1] = g[i];
        rgb[3 * i + 2] = g[i];
      }
      return Image.wrap(grey.height(), grey.width(), 3, rgb);
    }
  }
}
