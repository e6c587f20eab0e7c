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
 * input) and closed in {@code @Teardown}.
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

  private transient ClipModel model;
  private transient ImageBatcher batcher;
  private transient ZeroShotClassifier classifier;
  private transient List<String> classNames;
  private transient List<KV<String, Sample>> buffer;

  PredictFn(String stage, String modelName, PCollectionView<String> checkpoint, PCollectionView<List<KV<Integer, String>>> classes,
      List<String> templates, List<String> fixedClasses, Map<String, String> targets, int topK, int batchSize, String device) {
    this.device = device;
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
  }

  @ProcessElement
  public void process(ProcessContext c) {
    org.abdflow.model.ComputeThreads.use(Stages.torchThreads(c.getPipelineOptions()));
    if (model == null) {
      open(c.sideInput(checkpoint), c.sideInput(classesView));
    }
    buffer.add(c.element());
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

  private void open(String checkpointPath, List<KV<Integer, String>> labels) {
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
    StageMetrics.in(stage).inc(buffer.size());
    StageMetrics.out(stage).inc(out.size());
    StageMetrics.worked(stage, start);
    buffer.clear();
    return out;
  }
}
