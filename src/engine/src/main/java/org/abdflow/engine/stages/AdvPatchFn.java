package org.abdflow.engine.stages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.abdflow.api.Seeds;
import org.abdflow.model.ClipModel;
import org.abdflow.model.adv.AdvPatch;
import org.abdflow.model.adv.AdvPatchListener;
import org.abdflow.model.adv.AdvPatchOptions;
import org.abdflow.model.adv.AdvPatchTrainer;
import org.abdflow.model.adv.PatchLossTerms;
import org.abdflow.model.train.TrainingData;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Trains the patch generator on the worker that received the gathered records; emits the patch folder. */
final class AdvPatchFn extends DoFn<KV<String, Iterable<Sample>>, String> {
  private static final Logger LOG = LoggerFactory.getLogger(AdvPatchFn.class);

  private final String stage;
  private final AdvPatchConfig config;
  private final long runSeed;
  private final RunLayout layout;
  private final PCollectionView<String> poisoned;
  private final PCollectionView<String> origin;

  AdvPatchFn(String stage, AdvPatchConfig config, long runSeed, RunLayout layout, PCollectionView<String> poisoned,
      PCollectionView<String> origin) {
    this.stage = stage;
    this.config = config;
    this.runSeed = runSeed;
    this.layout = layout;
    this.poisoned = poisoned;
    this.origin = origin;
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    long start = System.nanoTime();
    List<Sample> records = new ArrayList<>();
    c.element().getValue().forEach(records::add);
    records.sort(Comparator.comparing(Sample::getId));
    StageMetrics.in(stage).inc(records.size());
    AdvPatchOptions options = config.options.toBuilder().setSeed(Seeds.forStage(runSeed, stage)).build();
    TrainingData data = new RecordTrainingData(records, (record, epoch) -> Records.image(record));
    Path dir = layout.stage(stage);
    Files.createDirectories(dir);
    Path out = dir.resolve("patch");
    AdvPatch patch;
    List<Map<String, Object>> epochs = new ArrayList<>();
    try (ClipModel p = ClipModel.load(Path.of(c.sideInput(poisoned)));
        ClipModel o = ClipModel.load(Path.of(c.sideInput(origin)))) {
      patch =
          new AdvPatchTrainer(o, p, options)
              .addListener(new AdvPatchListener() {
                @Override
                public void onEpochEnd(int epoch, PatchLossTerms m, double seconds) {
                  LOG.info(String.format(Locale.ROOT, "%s: epoch %d/%d %s (%.1f s)", stage, epoch + 1, options.epochs(), m, seconds));
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("epoch", epoch + 1);
                  row.put("terms", m);
                  row.put("seconds", seconds);
                  epochs.add(row);
                }
              })
              .fit(data);
    }
    // written next to its final name and moved, so a crash never leaves a half-written patch
    Path tmp = Files.createTempDirectory(dir, ".patch.tmp-");
    patch.save(tmp);
    org.abdflow.engine.Abdflow.deleteTree(out);
    Files.move(tmp, out);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("stage", stage);
    summary.put("records", records.size());
    summary.put("options", options.toString());
    summary.put("mask", patch.mask().toString());
    summary.put("epochs", epochs);
    TrainFn.writeAtomically(dir.resolve("patch-training.json"), Json.MAPPER.writeValueAsString(summary));
    StageMetrics.out(stage).inc();
    StageMetrics.nanos(stage).inc(System.nanoTime() - start);
    c.output(out.toString());
  }
}
