package org.abdflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.abdflow.api.InfoNce;
import org.abdflow.api.Loss;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.image.Image;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
import org.abdflow.model.adv.AdvPatchListener;
import org.abdflow.model.adv.AdvPatchOptions;
import org.abdflow.model.adv.AdvPatchTrainer;
import org.abdflow.model.adv.PatchLossTerms;
import org.abdflow.model.text.WordTokenizer;
import org.abdflow.model.train.ClipTrainer;
import org.abdflow.model.train.Objectives;
import org.abdflow.model.train.TrainingData;
import org.abdflow.model.train.TrainingOptions;
import org.abdflow.model.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code abdflow bench}: speed and memory of the work that dominates a run, measured in this JVM
 * with warm-up first. Not a test: numbers depend on the machine.
 */
@Command(name = "bench", description = "Benchmarks: train-step (clip-tiny, fwd + bwd + AdamW), patch-step (ABD's generator G + D "
    + "against two frozen encoders), abd-step (ABD fine-tuning: CLIP + unimodal loss on patched images and EDA captions). "
    + "Prints ms/step and peak RSS.")
final class BenchCommand implements Callable<Integer> {

  /** Run when no name is given. */
  static final List<String> DEFAULT = List.of("train-step", "patch-step", "abd-step", "zero-shot-eval", "poisoning", "matmul-peak");
  /** Every benchmark. */
  static final List<String> ALL = List.of("train-step", "patch-step", "abd-step", "zero-shot-eval", "poisoning", "matmul-peak",
      "encode-images", "zero-shot-imagenet", "parallel-stages", "demo", "memory");
  /** The benchmarks the PyTorch eager reference (src/bench/pytorch/clip_tiny_eager.py) also runs. */
  static final List<String> WITH_REFERENCE = List.of("train-step", "patch-step", "abd-step", "matmul-peak");

  private final BenchTable table = new BenchTable();

  @Parameters(arity = "0..*", paramLabel = "NAME", description = "benchmarks to run (default: train-step, patch-step, abd-step): "
      + "train-step, patch-step, abd-step, encode-images (RN50 and ViT-B/32 image encoding at 224, random weights), "
      + "zero-shot-imagenet (CLIP's 80 templates x 1,000 ImageNet names on RN50, random weights; needs --merges), "
      + "parallel-stages (records/s of poisoning, EDA, patch pasting and evaluation on a Flink session cluster at each --parallelism), "
      + "demo (pipelines/demo.yaml on embedded Flink: wall time, per stage, and the runner's share outside the stages), "
      + "memory (peak RSS of poisoning + evaluation at 1x and --repeat x the data, each run in its own JVM)")
  List<String> names = new ArrayList<>();

  @Option(names = "--encode-batch", defaultValue = "16", description = "images per forward pass of encode-images and zero-shot-imagenet")
  int encodeBatch;

  @Option(names = "--merges", description = "OpenAI's BPE merges file (bpe_simple_vocab_16e6.txt.gz) for zero-shot-imagenet")
  Path merges;

  @Option(names = "--images", description = "an image folder (class folders or flat) for zero-shot-imagenet; default: 32 random images")
  Path images;

  @Option(names = "--model", defaultValue = "clip-tiny", description = "model preset")
  String preset;

  @Option(names = "--batch", defaultValue = "128", description = "pairs per step of train-step and abd-step")
  int batch;

  @Option(names = "--patch-batch", defaultValue = "16", description = "images per step of patch-step")
  int patchBatch;

  @Option(names = "--parallelism", split = ",", defaultValue = "1,2", description = "Flink parallelisms of parallel-stages")
  List<Integer> parallelisms;

  @Option(names = "--flink-master", description = "parallel-stages on this cluster (host:port) instead of its own 3-JVM one")
  String flinkMaster;

  @Option(names = "--repeat", defaultValue = "10", description = "parallel-stages: the demo's 3,920 images, this many times over")
  int repeat;

  @Option(names = "--memory-runs", defaultValue = "3", description = "memory: fresh JVMs per data size; the medians are compared")
  int memoryRuns;

  @Option(names = "--tm-memory", defaultValue = "4g", description = "process memory of each TaskManager parallel-stages starts")
  String taskManagerMemory;

  @Option(names = "--pytorch", defaultValue = "auto",
      description = "run the PyTorch eager reference beside DJL: auto (when /usr/bin/python3 has torch: apt-get install python3-torch) or off")
  String pytorch;

  @Option(names = "--steps", defaultValue = "40", description = "measured steps (after the warm-up steps)")
  int steps;

  @Option(names = "--profile", paramLabel = "DIR",
      description = "after timing train-step, patch-step and abd-step, profile " + PROFILE_STEPS + " more steps of each under libtorch's profiler "
          + "(and the PyTorch reference under torch's), write the traces to DIR and print where a step's time goes")
  Path profile;

  static final int PROFILE_STEPS = 8;

  private final java.util.Map<String, Path> djlTraces = new java.util.LinkedHashMap<>();

  @Option(names = "--warmup", defaultValue = "12", description = "un-timed steps before the measured ones, on both DJL and PyTorch")
  int warmup;

  @Override
  public Integer call() throws Exception {
    for (String n : names) {
      if (!ALL.contains(n)) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "unknown benchmark " + n + " (known: " + String.join(", ", ALL) + ")" + org.abdflow.api.config.DidYouMean.suggestion(n, ALL));
      }
    }
    List<String> run = names.isEmpty() ? DEFAULT : names;
    if (run.contains("zero-shot-imagenet") && (merges == null || !Files.isRegularFile(merges))) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "zero-shot-imagenet needs --merges PATH to OpenAI's bpe_simple_vocab_16e6.txt.gz" + (merges == null ? "" : " (" + merges + " is no file)"));
    }
    if (run.contains("memory") && memoryRuns < 1) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--memory-runs must be at least 1, not " + memoryRuns);
    }
    if (run.contains("train-step")) {
      trainStep(false);
    }
    if (run.contains("patch-step")) {
      patchStep();
    }
    if (run.contains("abd-step")) {
      trainStep(true);
    }
    if (run.contains("zero-shot-eval")) {
      zeroShotEval();
    }
    if (run.contains("poisoning")) {
      poisoning();
    }
    if (run.contains("matmul-peak")) {
      matmulPeak();
    }
    if (run.contains("demo")) {
      demo();
    }
    if (run.contains("memory")) {
      memory();
    }
    if (!table.rows().isEmpty()) {
      List<String> referenced = run.stream().filter(WITH_REFERENCE::contains).toList();
      if (!referenced.isEmpty() && !pytorch.equals("off")) {
        PyTorchReference.merge(table, referenced, org.abdflow.model.Devices.threads(), warmup, steps, batch, patchBatch,
            profile == null ? null : profile.toAbsolutePath(), PROFILE_STEPS);
      }
      System.out.println();
      System.out.print(table.render());
      System.out.printf(Locale.ROOT, "(same machine and run; libtorch threads %d; peak RSS of this JVM %s MiB)%n",
          org.abdflow.model.Devices.threads(), peakRssMiB());
    }
    for (Map.Entry<String, Path> t : djlTraces.entrySet()) {
      Path reference = t.getValue().resolveSibling(t.getKey() + "-pytorch.json");
      System.out.println();
      BenchTable.Row measured = table.rows().stream().filter(r -> r.name().equals(t.getKey())).findFirst().orElse(null);
      System.out.print(OpProfile.render(t.getKey(), OpProfile.read(t.getValue(), PROFILE_STEPS),
          Files.isRegularFile(reference) ? OpProfile.read(reference, PROFILE_STEPS) : null,
          measured == null ? null : measured.djl(), measured == null ? null : measured.pytorch()));
      System.out.println("  traces (chrome://tracing, Perfetto): " + t.getValue() + (Files.isRegularFile(reference) ? ", " + reference : ""));
    }
    if (run.contains("encode-images")) {
      encodeImages("RN50");
      encodeImages("ViT-B/32");
    }
    if (run.contains("zero-shot-imagenet")) {
      zeroShotImageNet();
    }
    if (run.contains("parallel-stages")) {
      Path home = Path.of(System.getProperty("abdflow.home", "."));
      ParallelStagesBench.run(home.resolve("pipelines/bench/parallel-stages.yaml"), flinkMaster, parallelisms,
          home.resolve("runs/bench-parallel-stages"), taskManagerMemory, repeat);
    }
    return 0;
  }

  /** Random grey images with Fashion-MNIST captions; patched RGB views and reworded captions for abd-step. */
  private TrainingData syntheticData(ClipConfig config, int n, boolean views) {
    int res = config.imageResolution();
    Random rnd = new Random(0);
    List<Image> images = new ArrayList<>();
    List<Image> patched = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    String[] classes = {"t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"};
    for (int i = 0; i < n; i++) {
      byte[] px = new byte[res * res];
      rnd.nextBytes(px);
      images.add(Image.wrap(res, res, 1, px));
      byte[] rgb = new byte[res * res * 3];
      rnd.nextBytes(rgb);
      patched.add(Image.wrap(res, res, 3, rgb));
      captions.add(PromptTemplates.fill(PromptTemplates.SIMPLE.get(i % PromptTemplates.SIMPLE.size()), classes[i % classes.length]));
    }
    return new TrainingData() {
      public int size() {
        return images.size();
      }

      public Image image(int index, int epoch) {
        return images.get(index);
      }

      public Image imageView(int index, int epoch) {
        return views ? patched.get(index) : images.get(index);
      }

      public String caption(int index) {
        return captions.get(index);
      }

      public String captionView(int index) {
        // a caption of another template: what EDA's operations produce, in length and vocabulary
        return views ? captions.get((index + classes.length) % captions.size()) : captions.get(index);
      }

      public String id(int index) {
        return Integer.toString(index);
      }
    };
  }

  private static List<String> captions(TrainingData data) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      out.add(data.caption(i));
    }
    return out;
  }

  /** train-step: CLIP loss only; abd-step: CLIP loss plus the unimodal loss on the two views. */
  private void trainStep(boolean abd) throws IOException {
    ClipConfig config = ClipConfig.preset(preset);
    TrainingData data = syntheticData(config, batch * 4, abd);
    org.abdflow.model.train.Objective objective = abd ? abdObjective() : Objectives.clip();
    List<String> captions = captions(data);
    try (ClipModel model = ClipModel.create(config, WordTokenizer.build(captions, config.contextLength()), 0)) {
      TrainingOptions warm = TrainingOptions.builder().setEpochs(Math.max(1, (warmup + 3) / 4)).setBatchSize(batch).setLearningRate(1e-4).setSeed(0).build();
      new ClipTrainer(model, warm).fit(data, objective);
      int epochs = Math.max(1, (steps + 3) / 4);
      TrainingOptions measured = warm.toBuilder().setEpochs(epochs).build();
      TrainingResult r = new ClipTrainer(model, measured).fit(data, objective);
      print(abd ? "abd-step" : "train-step", batch, r.millisPerStep(), r.steps());
      if (profile != null) {
        TrainingOptions profiled = warm.toBuilder().setEpochs(PROFILE_STEPS / 4).build();
        profileSteps(abd ? "abd-step" : "train-step", () -> new ClipTrainer(model, profiled).fit(data, objective));
      }
      System.out.printf(Locale.ROOT, "  per step: batching %.1f ms, forward + backward %.1f ms, AdamW %.1f ms%n",
          r.millisData(), r.millisForwardBackward(), r.millisUpdate());
      table.add(new BenchTable.Row(abd ? "abd-step" : "train-step",
          preset + (abd ? ", CLIP + unimodal on 2 views" : ", CLIP loss") + ", batch " + batch + ", fwd+bwd+AdamW", "ms/step",
          r.millisPerStep(), null, true, 0));
    }
  }

  /** ABD's fine-tuning objective (PAPER.md §1.5): L_CLIP(I, T) + L_SS(I, I_adv; T, T_eda), λ1 = λ2 = 1. */
  private static org.abdflow.model.train.Objective abdObjective() {
    return new org.abdflow.model.train.Objective() {
      @Override
      public ai.djl.ndarray.NDArray loss(org.abdflow.api.EmbeddingBatch b) {
        ai.djl.ndarray.NDArray ss = InfoNce.rows(b.images(), b.view(Loss.IMAGE_VIEW).orElseThrow(), b.logitScale(), b.manager())
            .add(InfoNce.rows(b.texts(), b.view(Loss.TEXT_VIEW).orElseThrow(), b.logitScale(), b.manager()));
        return Objectives.clipLoss(b).add(org.abdflow.api.Tensors.div(ss, 2));
      }

      @Override
      public java.util.Set<String> views() {
        return java.util.Set.of(Loss.IMAGE_VIEW, Loss.TEXT_VIEW);
      }
    };
  }

  /** Runs {@code steps} (PROFILE_STEPS steps of work) under libtorch's profiler, untimed, and keeps the trace. */
  private void profileSteps(String name, Runnable steps) {
    try {
      Files.createDirectories(profile);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create the profile folder " + profile, e);
    }
    Path trace = profile.toAbsolutePath().resolve(name + "-djl.json");
    ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
    try {
      steps.run();
    } finally {
      ai.djl.pytorch.jni.JniUtils.stopProfile(trace.toString());
    }
    djlTraces.put(name, trace);
  }

  /** patch-step: one G + D step of ABD's Stage A against a frozen origin and poisoned model. */
  private void patchStep() {
    ClipConfig config = ClipConfig.preset(preset);
    TrainingData data = syntheticData(config, patchBatch * 4, false);
    WordTokenizer tokenizer = WordTokenizer.build(captions(data), config.contextLength());
    try (ClipModel origin = ClipModel.create(config, tokenizer, 0); ClipModel poisoned = ClipModel.create(config, tokenizer, 1)) {
      AdvPatchOptions warm = AdvPatchOptions.demoBuilder().setBatchSize(patchBatch).setEpochs(Math.max(1, (warmup + 3) / 4)).setSeed(0).build();
      new AdvPatchTrainer(origin, poisoned, warm).fit(data);
      double[] total = new double[2];
      AdvPatchOptions measured = warm.toBuilder().setEpochs(Math.max(1, (steps + 3) / 4)).build();
      new AdvPatchTrainer(origin, poisoned, measured)
          .addListener(new AdvPatchListener() {
            @Override
            public void onStep(int epoch, int step, PatchLossTerms terms, double millis) {
              total[0] += millis;
              total[1]++;
            }
          })
          .fit(data);
      print("patch-step", patchBatch, total[0] / total[1], (long) total[1]);
      if (profile != null) {
        AdvPatchOptions profiled = warm.toBuilder().setEpochs(PROFILE_STEPS / 4).build();
        profileSteps("patch-step", () -> new AdvPatchTrainer(origin, poisoned, profiled).fit(data));
      }
      table.add(new BenchTable.Row("patch-step", "ABD's G + D vs 2 frozen " + preset + ", batch " + patchBatch, "ms/step",
          total[0] / total[1], null, true, 0));
    }
  }

  /**
   * zero-shot-eval: what an evaluation stage does per batch: the demo's classifier (10 classes x 12
   * templates, built once), then batches of 64 test images classified top-5, images/s.
   */
  private void zeroShotEval() {
    ClipConfig config = ClipConfig.preset(preset);
    TrainingData data = syntheticData(config, 64, false);
    String[] classes = {"t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"};
    List<Image> batchImages = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      batchImages.add(data.image(i, 0));
    }
    try (ClipModel model = ClipModel.create(config, WordTokenizer.build(captions(data), config.contextLength()), 0);
        org.abdflow.model.Autograd off = org.abdflow.model.Autograd.disabled()) {
      org.abdflow.model.ZeroShotClassifier classifier =
          org.abdflow.model.ZeroShotClassifier.build(model, List.of(classes), PromptTemplates.SIMPLE);
      org.abdflow.model.ImageBatcher batcher = model.imageBatcher();
      int warmup = 10;
      int measured = Math.max(10, steps * 2);
      long t0 = 0;
      for (int i = 0; i < warmup + measured; i++) {
        if (i == warmup) {
          t0 = System.nanoTime();
        }
        try (ai.djl.ndarray.NDManager m = model.manager().newSubManager()) {
          classifier.topK(batcher.toTensor(m, batchImages), 5);
        }
      }
      double rate = measured * 64 / ((System.nanoTime() - t0) / 1e9);
      System.out.printf(Locale.ROOT, "%-12s %-10s batch %4d  %8.0f images/s over %d batches%n", "zero-shot-eval", preset, 64, rate, measured);
      table.add(new BenchTable.Row("zero-shot-eval", preset + ", 10 classes x 12 templates, batch 64, top-5", "images/s", rate, null, false, 0));
    }
  }

  /** poisoning: the BadNet plugin's trigger on 32 px grey images, as a poisoning stage applies it per record, images/s. */
  private void poisoning() {
    org.abdflow.engine.plugins.ExtensionRef ref = new org.abdflow.engine.plugins.ExtensionRef(
        List.of(org.abdflow.engine.Abdflow.defaultPluginDir()), "BadNet", java.util.Map.of("target", "bag", "size", 6));
    @SuppressWarnings({"unchecked", "rawtypes"})
    org.abdflow.engine.plugins.ExtensionRef.Resolved<org.abdflow.api.Attack> attack = ref.resolve(org.abdflow.api.Attack.class);
    List<Image> images = new ArrayList<>();
    Random rnd = new Random(0);
    for (int i = 0; i < 1024; i++) {
      byte[] px = new byte[32 * 32];
      rnd.nextBytes(px);
      images.add(Image.wrap(32, 32, 1, px));
    }
    int rounds = Math.max(20, steps * 5);
    long t0 = 0;
    long checksum = 0;
    for (int r = 0; r < rounds + 10; r++) {
      if (r == 10) {
        t0 = System.nanoTime();
      }
      for (int i = 0; i < images.size(); i++) {
        @SuppressWarnings("unchecked")
        Image out = attack.extension().trigger(images.get(i), attack.config(), new java.util.SplittableRandom(i));
        checksum += out.width();
      }
    }
    double rate = rounds * images.size() / ((System.nanoTime() - t0) / 1e9);
    System.out.printf(Locale.ROOT, "%-12s %-10s %8.0f images/s over %d images (%d)%n", "poisoning", "BadNet", rate, rounds * images.size(),
        checksum % 7);
    table.add(new BenchTable.Row("poisoning", "BadNet 6x6 trigger, 32 px grey, one record at a time", "images/s", rate, null, false, 0));
  }

  /** matmul-peak: the best sustained fp32 GEMM rate through DJL's libtorch, GFLOP/s. */
  private void matmulPeak() {
    double best = 0;
    int bestN = 0;
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      for (int n : new int[] {1024, 2048}) {
        ai.djl.ndarray.NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
        ai.djl.ndarray.NDArray b = m.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
        for (int rep = 0; rep < 3; rep++) {
          try (ai.djl.ndarray.NDManager sm = m.newSubManager()) {
            a.matMul(b).attach(sm);
          }
        }
        int reps = n == 1024 ? 20 : 5;
        long t0 = System.nanoTime();
        for (int rep = 0; rep < reps; rep++) {
          try (ai.djl.ndarray.NDManager sm = m.newSubManager()) {
            a.matMul(b).attach(sm);
          }
        }
        double gflops = reps * 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9;
        if (gflops > best) {
          best = gflops;
          bestN = n;
        }
      }
    }
    System.out.printf(Locale.ROOT, "%-12s %-10s %8.1f GFLOP/s (n = %d)%n", "matmul-peak", "fp32", best, bestN);
    table.add(new BenchTable.Row("matmul-peak", "fp32 GEMM n x n x n, best of n = 1024, 2048", "GFLOP/s", best, null, false, 0));
    table.peak(best);
  }

  /**
   * demo: the demo spec on embedded Flink in this JVM. Beam's overhead is the wall time during
   * which no stage was working (the union of every piece of stage work, {@code WorkTimeline}).
   */
  private void demo() throws Exception {
    Path home = Path.of(System.getProperty("abdflow.home", "."));
    org.abdflow.engine.stages.WorkTimeline.reset();
    org.abdflow.engine.report.RunReport r = org.abdflow.engine.Abdflow.run(org.abdflow.engine.RunRequest.builder()
        .setSpec(home.resolve("pipelines/demo.yaml")).setOutput(home.resolve("runs/bench-demo")).setRunner("flink")
        // a benchmark measures the work, not the stage cache of the previous bench run
        .setBeamArgs(List.of("--reuseStages=false")).build());
    double busy = org.abdflow.engine.stages.WorkTimeline.busySeconds();
    long t0 = r.stages().stream().filter(s -> s.workStartMs() != null).mapToLong(org.abdflow.engine.report.RunReport.Stage::workStartMs)
        .min().orElse(0);
    System.out.printf(Locale.ROOT, "%n%-18s %-20s %10s %9s %9s%n", "stage", "type", "work s", "from s", "to s");
    for (org.abdflow.engine.report.RunReport.Stage s : r.stages()) {
      System.out.printf(Locale.ROOT, "%-18s %-20s %10.1f %9s %9s%n", s.name(), s.type(), s.seconds(),
          s.workStartMs() == null ? "-" : String.format(Locale.ROOT, "%.1f", (s.workStartMs() - t0) / 1e3),
          s.workEndMs() == null ? "-" : String.format(Locale.ROOT, "%.1f", (s.workEndMs() - t0) / 1e3));
    }
    double overhead = r.wallSeconds() - busy;
    System.out.printf(Locale.ROOT, "demo: wall %.1f s; some stage working %.1f s; Beam and Flink alone %.1f s (%.1f %%)%n",
        r.wallSeconds(), busy, overhead, 100 * overhead / r.wallSeconds());
    table.add(new BenchTable.Row("demo", "pipelines/demo.yaml, embedded Flink, wall", "s", r.wallSeconds(), null, true, 0));
    table.add(new BenchTable.Row("demo-overhead", "of which no stage was working", "s", overhead, null, true, 0));
  }

  /**
   * memory: {@code pipelines/bench/poison-eval.yaml} on the demo's pre-training images and on
   * {@code --repeat} times as many, each in a fresh JVM with this one's options (a JVM's peak RSS
   * only grows), {@code --memory-runs} times per size alternately, and the ratio of the medians:
   * one JVM's peak RSS moves by up to 20 % from run to run on the same data.
   */
  private void memory() throws Exception {
    Path home = Path.of(System.getProperty("abdflow.home", "."));
    Path spec = home.resolve("pipelines/bench/poison-eval.yaml");
    Path work = home.resolve("runs/bench-memory");
    Path data = home.resolve("pipelines/data/fashion-mnist-demo");
    int[] sizes = {1, repeat};
    Path[] images = new Path[2];
    Path[] labels = new Path[2];
    for (int i = 0; i < 2; i++) {
      images[i] = ParallelStagesBench.repeated(data.resolve("pretrain-images-idx3-ubyte.gz"), 16, sizes[i], work.resolve("data"));
      labels[i] = ParallelStagesBench.repeated(data.resolve("pretrain-labels-idx1-ubyte.gz"), 8, sizes[i], work.resolve("data"));
    }
    double[][] rss = new double[2][memoryRuns];
    for (int run = 0; run < memoryRuns; run++) {
      for (int i = 0; i < 2; i++) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AbdflowCommand.class.getName(), "run", spec.toString(),
            "--param", "images=" + images[i], "--param", "labels=" + labels[i], "--output", work.resolve("x" + sizes[i]).toString(),
            "--reuseStages=false"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("peak RSS (\\d+) MiB").matcher(out);
        if (p.waitFor() != 0 || !m.find()) {
          throw new IOException("the memory run at " + sizes[i] + "x failed:\n" + out.substring(Math.max(0, out.length() - 4000)));
        }
        rss[i][run] = Double.parseDouble(m.group(1));
        System.out.printf(Locale.ROOT, "%-12s %d records, run %d of %d: peak RSS %.0f MiB%n", "memory", 3920 * sizes[i], run + 1, memoryRuns,
            rss[i][run]);
      }
    }
    double one = median(rss[0]);
    double many = median(rss[1]);
    System.out.printf(Locale.ROOT, "%-12s %dx the data: %.2fx the peak RSS (medians of %d runs: %.0f and %.0f MiB; runs %s and %s)%n", "memory",
        repeat, many / one, memoryRuns, one, many, java.util.Arrays.toString(rss[0]), java.util.Arrays.toString(rss[1]));
    table.add(new BenchTable.Row("memory-1x", "poisoning + evaluation, 3,920 records: peak RSS, median", "MiB", one, null, true, 0));
    table.add(new BenchTable.Row("memory-" + repeat + "x", "the same, " + (3920 * repeat) + " records: peak RSS, median", "MiB", many, null, true,
        0));
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** Random 224 px RGB images. */
  private static List<Image> randomImages(int n, int side, long seed) {
    Random rnd = new Random(seed);
    List<Image> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] px = new byte[side * side * 3];
      rnd.nextBytes(px);
      out.add(Image.wrap(side, side, 3, px));
    }
    return out;
  }

  /** encode-images: the image tower's forward pass (no gradient) on batches of 224 px images, images/s. */
  private void encodeImages(String presetName) {
    ClipConfig config = ClipConfig.preset(presetName);
    List<Image> batchImages = randomImages(encodeBatch, config.imageResolution(), 0);
    try (ClipModel model = ClipModel.create(config, null, 0);
        org.abdflow.model.Autograd off = org.abdflow.model.Autograd.disabled()) {
      org.abdflow.model.ImageBatcher batcher = model.imageBatcher();
      int warmup = 2;
      int measured = Math.max(3, Math.min(steps, 10));
      long t0 = 0;
      for (int i = 0; i < warmup + measured; i++) {
        if (i == warmup) {
          t0 = System.nanoTime();
        }
        try (ai.djl.ndarray.NDManager m = model.manager().newSubManager()) {
          model.encodeImages(batcher.toTensor(m, batchImages), false).toFloatArray();
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "%-18s %-9s batch %4d  %8.1f images/s  (%.0f ms/batch over %d batches, %d px)  peak RSS %s MiB%n",
          "encode-images", presetName, encodeBatch, measured * encodeBatch / seconds, 1000 * seconds / measured, measured,
          config.imageResolution(), peakRssMiB());
    }
  }

  /**
   * zero-shot-imagenet: the paper's classifier, CLIP's 80 templates for each of the 1,000 ImageNet
   * names through RN50's text tower (BPE tokens), then images classified against it.
   */
  private void zeroShotImageNet() throws IOException {
    ClipConfig config = ClipConfig.preset("RN50");
    org.abdflow.model.text.BpeTokenizer bpe = org.abdflow.model.text.BpeTokenizer.openAi(merges, config.contextLength());
    List<Image> testImages = images == null ? randomImages(32, 256, 1) : folderImages(images);
    try (ClipModel model = ClipModel.create(config, bpe, 0)) {
      long t0 = System.nanoTime();
      org.abdflow.model.ZeroShotClassifier classifier =
          org.abdflow.model.ZeroShotClassifier.build(model, PromptTemplates.IMAGENET_CLASSES, PromptTemplates.IMAGENET);
      double build = (System.nanoTime() - t0) / 1e9;
      int texts = PromptTemplates.IMAGENET_CLASSES.size() * PromptTemplates.IMAGENET.size();
      org.abdflow.model.ImageBatcher batcher = model.imageBatcher();
      long t1 = System.nanoTime();
      int[] shape = null;
      int banana = 0;
      try (org.abdflow.model.Autograd off = org.abdflow.model.Autograd.disabled()) {
        for (int from = 0; from < testImages.size(); from += encodeBatch) {
          List<Image> b = testImages.subList(from, Math.min(testImages.size(), from + encodeBatch));
          try (ai.djl.ndarray.NDManager m = model.manager().newSubManager()) {
            float[][] scores = classifier.scores(batcher.toTensor(m, b));
            shape = new int[] {scores.length, scores[0].length};
            for (float[] row : scores) {
              int best = 0;
              for (int k = 1; k < row.length; k++) {
                best = row[k] > row[best] ? k : best;
              }
              banana += best == 954 ? 1 : 0;
            }
          }
        }
      }
      double classify = (System.nanoTime() - t1) / 1e9;
      System.out.printf(Locale.ROOT, "%-18s %-9s %d classes x %d templates: classifier %d x %d built in %.1f s (%.0f texts/s); "
              + "%d images (preprocessed to %d px) in %.1f s (%.1f images/s, scores %d x %d per batch, %d top-1 banana)  peak RSS %s MiB%n",
          "zero-shot-imagenet", "RN50", PromptTemplates.IMAGENET_CLASSES.size(), PromptTemplates.IMAGENET.size(),
          classifier.classNames().size(), config.embedDim(), build, texts / build, testImages.size(), config.imageResolution(), classify,
          testImages.size() / classify, shape[0], shape[1], banana, peakRssMiB());
    }
  }

  private static List<Image> folderImages(Path folder) throws IOException {
    List<Image> out = new ArrayList<>();
    try (java.util.stream.Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")) {
          out.add(org.abdflow.api.image.ImageFiles.read(p));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IOException(folder + " holds no PNG or JPEG images");
    }
    return out;
  }

  private void print(String name, int batchSize, double msPerStep, long measuredSteps) {
    System.out.printf(Locale.ROOT, "%-12s %-10s batch %4d  %8.1f ms/step over %d steps  peak RSS %s MiB  (threads: %s)%n",
        name, preset, batchSize, msPerStep, measuredSteps, peakRssMiB(),
        System.getProperty("ai.djl.pytorch.num_threads", "libtorch default"));
  }

  /** VmHWM of this process, the peak resident set. */
  static String peakRssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.0f", kb / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return "?";
    }
    return "?";
  }
}
