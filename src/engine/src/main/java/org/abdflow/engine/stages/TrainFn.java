package org.abdflow.engine.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abdflow.api.Loss;
import org.abdflow.api.Seeds;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
import org.abdflow.model.text.WordTokenizer;
import org.abdflow.model.train.ClipTrainer;
import org.abdflow.model.train.Objective;
import org.abdflow.model.train.RecordTrainingData;
import org.abdflow.model.train.TrainingData;
import org.abdflow.model.train.TrainingListener;
import org.abdflow.model.train.TrainingOptions;
import org.abdflow.model.train.TrainingResult;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one training stage on the worker that received the gathered records. Records are spooled
 * to a local file and read back sorted by id ({@link SpooledRecords}), so the result depends only
 * on the seed and the data, not on how the runner ordered them, and memory holds a batch, not the
 * data set.
 */
final class TrainFn extends DoFn<KV<String, Iterable<Sample>>, String> {
  private final String stage;
  private final TrainConfig config;
  private final List<ExtensionRef> losses;
  private final long runSeed;
  private final RunLayout layout;
  private final PCollectionView<String> base;
  private final ArrayList<String> pluginFolders = new ArrayList<>();
  private final java.util.TreeMap<String, String> pluginDigests;

  TrainFn(String stage, TrainConfig config, List<ExtensionRef> losses, long runSeed, RunLayout layout,
      PCollectionView<String> base, List<Path> pluginFolders, java.util.Map<String, String> pluginDigests) {
    pluginFolders.forEach(p -> this.pluginFolders.add(p.toString()));
    this.pluginDigests = new java.util.TreeMap<>(pluginDigests);
    this.stage = stage;
    this.config = config;
    this.losses = losses;
    this.runSeed = runSeed;
    this.layout = layout;
    this.base = base;
  }

  @ProcessElement
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void process(ProcessContext c) throws IOException {
    // the wait for the cores is not the stage's work
    try (org.abdflow.model.ComputeThreads.Permit cores = Stages.heavyWork(c.getPipelineOptions())) {
      long start = System.nanoTime();
      Path dir = layout.stage(stage);
      Files.createDirectories(dir);
      // spooled to disk, sorted by id: a stage holds ids and offsets, not every decoded image
      try (SpooledRecords records = SpooledRecords.write(c.element().getValue(), dir.resolve(".records.spool"))) {
        train(c, records, dir, start);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void train(ProcessContext c, SpooledRecords records, Path dir, long start) throws IOException {
    StageMetrics.in(stage).inc(records.size());
    long seed = Seeds.forStage(runSeed, stage);
    Path checkpoint = dir.resolve("checkpoint");
    StageCache cache = StageCache.of(layout);
    String key = c.getPipelineOptions().as(org.abdflow.engine.AbdflowOptions.class).getReuseStages() ? cacheKey(c, records) : null;
    java.util.Optional<Path> hit = key == null ? java.util.Optional.empty() : cache.find(stage, key);
    if (hit.isPresent()) {
      StageCache.reuse(stage, "checkpoint", hit.get(), dir, checkpoint, start);
      c.output(checkpoint.toString());
      return;
    }

    List<ExtensionRef.Resolved<Loss>> terms = new ArrayList<>();
    for (ExtensionRef ref : losses) {
      terms.add(ref.resolve(Loss.class));
    }
    java.util.Set<String> views = new java.util.TreeSet<>();
    boolean originals = false;
    for (ExtensionRef.Resolved<Loss> t : terms) {
      views.addAll(((Loss) t.extension()).views(t.config()));
      originals |= ((Loss) t.extension()).readsOriginals(t.config());
    }

    Triggers triggers = new Triggers(pluginFolders.stream().map(Path::of).toList(), pluginDigests);
    TrainingData data =
        new RecordTrainingData(records, (record, epoch) -> triggers.imageFor(record, epoch, runSeed, stage));

    TrainingOptions options =
        TrainingOptions.builder()
            .setEpochs(config.epochs())
            .setBatchSize(config.batchSize())
            .setLearningRate(config.lr())
            .setWeightDecay(config.weightDecay())
            .setWarmupSteps(config.warmupSteps())
            .setSeed(seed)
            .build();

    // epoch checkpoints live under the stage's cache key, so a rerun resumes only the same training
    org.abdflow.model.train.EpochCheckpoints epochs = key == null ? null : new org.abdflow.model.train.EpochCheckpoints(cache.resumeDir(key));
    TrainingResult result;
    ai.djl.Device device = org.abdflow.model.Devices.named(config.device());
    try (ClipModel model = base == null ? fresh(records, seed, device) : ClipModel.load(Path.of(c.sideInput(base)), device);
        OpenedTerms opened = new OpenedTerms(terms, model.manager().newSubManager(), seed, views, originals)) {
      ClipTrainer trainer = new ClipTrainer(model, options).addListener(new ProgressLog(stage));
      if (epochs != null) {
        trainer.checkpointEpochs(epochs);
      }
      result = trainer.fit(data, opened);
      model.save(checkpoint);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("stage", stage);
    summary.put("records", records.size());
    long poisoned = 0;
    long augmented = 0;
    for (Sample s : records) {
      poisoned += s.getLineage() != null ? 1 : 0;
      augmented += s.getAugmenters().isEmpty() ? 0 : 1;
    }
    summary.put("poisoned", poisoned);
    summary.put("augmented", augmented);
    summary.put("views", List.copyOf(views));
    summary.put("reads_originals", originals);
    summary.put("losses", losses.stream().map(l -> l.type() + (l.rawConfig().isEmpty() ? "" : l.rawConfig().toString())).toList());
    summary.put("device", device.toString());
    summary.put("epochs", config.epochs());
    summary.put("steps", result.steps());
    summary.put("seconds", result.seconds());
    summary.put("ms_per_step", result.millisPerStep());
    summary.put("recomputed_steps", result.recomputedSteps());
    summary.put("resumed_epochs", result.resumedEpochs());
    summary.put("loss_per_epoch", result.epochLosses());
    writeAtomically(dir.resolve("training.json"), Json.MAPPER.writeValueAsString(summary));
    if (key != null) {
      cache.put(key, dir, List.of("checkpoint", "training.json"));
      epochs.clear();
    }
    StageMetrics.out(stage).inc();
    StageMetrics.worked(stage, start);
    c.output(checkpoint.toString());
  }

  /**
   * Everything the checkpoint depends on: the stage (its name seeds redrawn triggers), config and
   * run seed, the code, the thread count, the records in id order and the base model's files.
   */
  private String cacheKey(ProcessContext c, SpooledRecords records) throws IOException {
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("type", "Train");
    parts.put("stage", stage);
    parts.put("config", config.toString());
    StringBuilder lossParts = new StringBuilder();
    for (ExtensionRef l : losses) {
      lossParts.append(l.type()).append(Json.MAPPER.writeValueAsString(new java.util.TreeMap<>(l.rawConfig()))).append(';');
    }
    parts.put("losses", lossParts.toString());
    parts.put("run_seed", Long.toString(runSeed));
    parts.put("threads", Integer.toString(Stages.torchThreads(c.getPipelineOptions())));
    parts.put("code", StageCache.codeDigest(pluginFolders));
    parts.put("records", records.digest());
    parts.put("base", base == null ? "none" : StageCache.sha256(Path.of(c.sideInput(base))));
    return StageCache.key(parts);
  }

  private ClipModel fresh(List<Sample> records, long seed, ai.djl.Device device) {
    List<String> captions = records.stream().map(Sample::getCaption).toList();
    ClipConfig preset = ClipConfig.preset(config.model());
    WordTokenizer tokenizer = WordTokenizer.build(captions, preset.contextLength());
    return ClipModel.create(preset, tokenizer, seed, device);
  }

  /** The loss terms opened for one run, summed as the objective; closing them frees their state. */
  private static final class OpenedTerms implements Objective, AutoCloseable {
    private final NDManager manager;
    private final List<Loss.Term> terms = new ArrayList<>();
    private final java.util.Set<String> views;
    private final boolean originals;

    @SuppressWarnings({"unchecked", "rawtypes"})
    OpenedTerms(List<ExtensionRef.Resolved<Loss>> resolved, NDManager manager, long seed, java.util.Set<String> views, boolean originals) {
      this.manager = manager;
      this.views = views;
      this.originals = originals;
      for (int i = 0; i < resolved.size(); i++) {
        long termSeed = Seeds.mix(seed, i);
        Loss.RunScope scope = new Loss.RunScope() {
          @Override
          public NDManager manager() {
            return manager;
          }

          @Override
          public long seed() {
            return termSeed;
          }
        };
        terms.add(((Loss) resolved.get(i).extension()).open(resolved.get(i).config(), scope));
      }
    }

    @Override
    public NDArray loss(org.abdflow.api.EmbeddingBatch batch) {
      NDArray sum = null;
      for (Loss.Term t : terms) {
        NDArray term = t.compute(batch);
        sum = sum == null ? term : sum.add(term);
      }
      return sum;
    }

    @Override
    public Map<String, byte[]> state() {
      Map<String, byte[]> out = new LinkedHashMap<>();
      for (int i = 0; i < terms.size(); i++) {
        byte[] state = terms.get(i).state();
        if (state != null) {
          out.put("term-" + i, state);
        }
      }
      return out;
    }

    @Override
    public void restore(Map<String, byte[]> state) {
      for (Map.Entry<String, byte[]> e : state.entrySet()) {
        int i = Integer.parseInt(e.getKey().substring("term-".length()));
        terms.get(i).restore(e.getValue());
      }
    }

    @Override
    public java.util.Set<String> views() {
      return views;
    }

    @Override
    public boolean needsOriginals() {
      return originals;
    }

    @Override
    public void close() {
      terms.forEach(Loss.Term::close);
      manager.close();
    }
  }

  /** One log line per epoch, so a long stage shows it is alive, and its steps on the live display. */
  private static final class ProgressLog implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(TrainFn.class);
    private final String stage;
    private int epochs;
    private long totalSteps;
    private float lastLoss = Float.NaN;

    ProgressLog(String stage) {
      this.stage = stage;
    }

    @Override
    public void onTrainingStart(int pairs, int stepsPerEpoch, TrainingOptions options) {
      epochs = options.epochs();
      totalSteps = (long) epochs * stepsPerEpoch;
      LOG.info("{}: training on {} pairs, {} epochs of {} steps", stage, pairs, epochs, stepsPerEpoch);
      org.abdflow.engine.progress.Progress.steps(stage, "steps", 0, totalSteps, "epoch 1/" + epochs);
    }

    @Override
    public void onStep(int epoch, int step, float loss, double learningRate, double millis) {
      org.abdflow.engine.progress.Progress.steps(stage, "steps", step + 1L, totalSteps, String.format(java.util.Locale.ROOT,
          "epoch %d/%d%s", epoch + 1, epochs, Float.isNaN(lastLoss) ? "" : String.format(java.util.Locale.ROOT, ", last epoch's loss %.4f", lastLoss)));
    }

    @Override
    public void onEpochEnd(int epoch, float meanLoss, double seconds) {
      lastLoss = meanLoss;
      String line = String.format(java.util.Locale.ROOT, "%s: epoch %d/%d loss %.4f (%.1f s)", stage, epoch + 1, epochs, meanLoss, seconds);
      LOG.info(line);
      org.abdflow.engine.progress.Progress.event(line);
    }
  }

  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
