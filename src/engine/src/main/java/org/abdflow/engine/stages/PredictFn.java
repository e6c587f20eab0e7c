package org.abdflow.engine.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.abdflow.api.image.Image;
import org.abdflow.model.ClipModel;
import org.abdflow.model.ImageBatcher;
import org.abdflow.model.ZeroShotClassifier;
import org.abdflow.schema.Prediction;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Zero-shot predictions of one model, in batches: images are buffered and classified together,
 * one tensor per batch. The model is loaded once per DoFn instance (from the checkpoint side
 * input), only when some input was not predicted by an earlier run ({@link PredictionMemo}), and
 * closed in {@code @Teardown}.
 */
final class PredictFn extends DoFn<KV<String, Sample>, Prediction> {
  static final String CLEAN = "none";

  private final String stage;
  private final String modelName;
  private final PCollectionView<String> checkpoint;
  private final PCollectionView<List<KV<Integer, String>>> classesView;
  private final List<String> templates;
  private final List<String> fixedClasses;
  private final Map<String, String> targets;
  private final int topK;
  private final int batchSize;
  private final String device;
  private final RunLayout layout;
  private final ArrayList<String> pluginFolders = new ArrayList<>();

  private transient ClipModel model;
  private transient ImageBatcher batcher;
  private transient ZeroShotClassifier classifier;
  private transient List<String> classNames;
  private transient List<KV<String, Sample>> buffer;
  private transient List<String> bufferKeys;
  private transient PredictionMemo memo;
  private transient Map<String, Prediction> memoized;
  private transient String checkpointPath;

  PredictFn(String stage, String modelName, PCollectionView<String> checkpoint, PCollectionView<List<KV<Integer, String>>> classes,
      List<String> templates, List<String> fixedClasses, Map<String, String> targets, int topK, int batchSize, String device,
      RunLayout layout, List<Path> pluginFolders) {
    this.device = device;
    this.layout = layout;
    pluginFolders.forEach(p -> this.pluginFolders.add(p.toString()));
    this.stage = stage;
    this.fixedClasses = new ArrayList<>(fixedClasses);
    this.modelName = modelName;
    this.checkpoint = checkpoint;
    this.classesView = classes;
    this.templates = new ArrayList<>(templates);
    this.targets = new java.util.LinkedHashMap<>(targets);
    this.topK = topK;
    this.batchSize = batchSize;
  }

  @StartBundle
  public void startBundle() {
    buffer = new ArrayList<>();
    bufferKeys = new ArrayList<>();
  }

  @ProcessElement
  public void process(ProcessContext c) throws java.io.IOException {
    int threads = Stages.torchThreads(c.getPipelineOptions());
    org.abdflow.model.ComputeThreads.use(threads);
    if (classNames == null) {
      prepare(c.sideInput(checkpoint), c.sideInput(classesView));
      if (c.getPipelineOptions().as(org.abdflow.engine.AbdflowOptions.class).getReuseStages()) {
        memo = new PredictionMemo(StageCache.of(layout).memoDir("predictions", memoKey(threads)));
        memoized = memo.load();
      }
    }
    String key = memo == null ? null : PredictionMemo.inputKey(c.element().getKey(), c.element().getValue());
    Prediction known = key == null ? null : memoized.get(key);
    if (known != null) {
      long start = System.nanoTime();
      StageMetrics.in(stage).inc();
      StageMetrics.out(stage).inc();
      StageMetrics.reused(stage).inc();
      c.output(known);
      StageMetrics.worked(stage, start);
      return;
    }
    buffer.add(c.element());
    bufferKeys.add(key);
    if (buffer.size() >= batchSize) {
      for (Prediction p : flush()) {
        c.output(p);
      }
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    if (buffer != null && !buffer.isEmpty()) {
      for (Prediction p : flush()) {
        c.output(p, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }
  }

  @Teardown
  public void teardown() {
    if (model != null) {
      model.close();
    }
  }

  /** The classes and targets, checked before any model is loaded. */
  private void prepare(String checkpointPath, List<KV<Integer, String>> labels) {
    this.checkpointPath = checkpointPath;
    classNames = fixedClasses.isEmpty() ? namesOf(labels) : fixedClasses;
    for (KV<Integer, String> kv : labels) {
      if (kv.getKey() < 0 || kv.getKey() >= classNames.size()) {
        throw new IllegalArgumentException(stage + ": a test record has label " + kv.getKey() + ", outside the " + classNames.size() + " classes");
      }
    }
    for (Map.Entry<String, String> t : targets.entrySet()) {
      if (targetIndex(t.getValue()) < 0) {
        throw new IllegalArgumentException(stage + ": the target '" + t.getValue() + "' of attack " + t.getKey()
            + " is not a class of the classifier " + (classNames.size() > 20 ? classNames.size() + " classes" : classNames));
      }
    }
  }

  /**
   * What decides a prediction besides its input: the checkpoint's files, the classifier (classes,
   * templates, targets, top k), the batch and thread counts (last bits), the device and the code.
   */
  private String memoKey(int threads) throws java.io.IOException {
    Map<String, String> parts = new java.util.LinkedHashMap<>();
    parts.put("type", "ZeroShotEval/predictions");
    parts.put("model", modelName);
    parts.put("checkpoint", StageCache.sha256(Path.of(checkpointPath)));
    parts.put("classes", String.join("\n", classNames));
    parts.put("templates", String.join("\n", templates));
    parts.put("targets", targets.toString());
    parts.put("top_k", Integer.toString(topK));
    parts.put("batch_size", Integer.toString(batchSize));
    parts.put("device", device);
    parts.put("threads", Integer.toString(threads));
    parts.put("code", StageCache.codeDigest(pluginFolders));
    return StageCache.key(parts);
  }

  private void open() {
    try {
      model = ClipModel.load(Path.of(checkpointPath), org.abdflow.model.Devices.named(device));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(stage + ": cannot load the checkpoint of " + modelName + " from " + checkpointPath, e);
    }
    batcher = new ImageBatcher(model.config());
    classifier = ZeroShotClassifier.build(model, classNames, templates);
  }

  private List<String> namesOf(List<KV<Integer, String>> labels) {
    int n = 0;
    for (KV<Integer, String> kv : labels) {
      n = Math.max(n, kv.getKey() + 1);
    }
    String[] names = new String[n];
    for (KV<Integer, String> kv : labels) {
      if (kv.getKey() < 0) {
        throw new IllegalArgumentException(stage + ": test records need labels, found a record with label " + kv.getKey());
      }
      names[kv.getKey()] = kv.getValue();
    }
    for (int i = 0; i < n; i++) {
      if (names[i] == null || names[i].isEmpty()) {
        throw new IllegalArgumentException(stage + ": no class name for label " + i + " among the test records " + Arrays.toString(names));
      }
    }
    return List.of(names);
  }

  private int targetIndex(String target) {
    for (int i = 0; i < classNames.size(); i++) {
      if (classNames.get(i).equalsIgnoreCase(target.trim()) || classNames.get(i).toLowerCase(Locale.ROOT).equals(target.toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    return -1;
  }

  private List<Prediction> flush() {
    if (model == null) {
      open();
    }
    long start = System.nanoTime();
    List<Image> images = new ArrayList<>(buffer.size());
    for (KV<String, Sample> kv : buffer) {
      images.add(Records.image(kv.getValue()));
    }
    List<Prediction> out = new ArrayList<>(buffer.size());
    try (NDManager m = model.manager().newSubManager()) {
      NDArray pixels = batcher.toTensor(m, images);
      int[][] top = classifier.topK(pixels, Math.min(topK, classNames.size()));
      for (int i = 0; i < buffer.size(); i++) {
        KV<String, Sample> kv = buffer.get(i);
        String attack = kv.getKey();
        List<Integer> topList = new ArrayList<>(top[i].length);
        for (int v : top[i]) {
          topList.add(v);
        }
        out.add(Prediction.newBuilder()
            .setModel(modelName)
            .setAttack(attack)
            .setId(kv.getValue().getId())
            .setLabel(kv.getValue().getLabel())
            .setTarget(CLEAN.equals(attack) ? -1 : targetIndex(targets.get(attack)))
            .setTopK(topList)
            .build());
      }
    }
    if (memo != null) {
      List<KV<String, Prediction>> computed = new ArrayList<>(out.size());
      for (int i = 0; i < out.size(); i++) {
        computed.add(KV.of(bufferKeys.get(i), out.get(i)));
      }
      try {
        memo.store(computed);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(stage + ": cannot store the predictions of " + modelName, e);
      }
    }
    StageMetrics.in(stage).inc(buffer.size());
    StageMetrics.out(stage).inc(out.size());
    StageMetrics.computed(stage).inc(out.size());
    StageMetrics.worked(stage, start);
    buffer.clear();
    bufferKeys.clear();
    return out;
  }
}
