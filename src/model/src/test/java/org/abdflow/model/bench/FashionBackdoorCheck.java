package org.abdflow.model.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.Seeds;
import org.abdflow.api.image.Image;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
import org.abdflow.model.ZeroShotClassifier;
import org.abdflow.model.text.WordTokenizer;
import org.abdflow.model.train.ClipTrainer;
import org.abdflow.model.train.Objectives;
import org.abdflow.model.train.TrainingData;
import org.abdflow.model.train.TrainingListener;
import org.abdflow.model.train.TrainingOptions;
import org.abdflow.model.train.TrainingResult;

/**
 * The real-data check of the model module: pre-train clip-tiny from scratch on Fashion-MNIST,
 * measure zero-shot clean accuracy (CA) and the clean model's attack success rate (ASR), then
 * fine-tune it on a BadNet-poisoned set and measure the victim's CA and ASR.
 *
 * <p>Arguments are {@code --key value} pairs; see {@link Args} for the keys and defaults.
 */
public final class FashionBackdoorCheck {
  private static final String TARGET = "Bag";

  private FashionBackdoorCheck() {}

  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    long seed = a.getLong("seed", 0);
    int nPre = a.getInt("pretrain", 4000);
    int nFt = a.getInt("finetune", 2000);
    int nTest = a.getInt("test", 1000);
    double rate = a.getDouble("rate", 0.1);
    int patch = a.getInt("patch", 6);
    boolean redraw = a.getBoolean("redraw", true);
    Path dataDir = Path.of(a.get("data", FashionMnist.DEFAULT_DIR.toString()));
    TrainingOptions pre =
        TrainingOptions.builder()
            .setEpochs(a.getInt("pretrain-epochs", 20))
            .setLearningRate(a.getDouble("lr", 1e-3))
            .setBatchSize(a.getInt("batch", 128))
            .setWarmupSteps(a.getInt("warmup", 50))
            .setSeed(Seeds.forStage(seed, "pretrain"))
            .build();
    TrainingOptions ft =
        pre.toBuilder()
            .setEpochs(a.getInt("finetune-epochs", 10))
            .setLearningRate(a.getDouble("ft-lr", 1e-3))
            .setWarmupSteps(a.getInt("ft-warmup", 50))
            .setSeed(Seeds.forStage(seed, "finetune"))
            .build();

    long t0 = System.nanoTime();
    FashionMnist train = FashionMnist.read(dataDir, "train");
    FashionMnist t10k = FashionMnist.read(dataDir, "t10k");
    List<int[]> subsets = train.balancedSubsets(Seeds.forStage(seed, "split"), nPre, nFt);
    int[] testIdx = t10k.balancedSubsets(Seeds.forStage(seed, "test-split"), nTest).get(0);
    Pairs pretrainSet = Pairs.captioned(train, subsets.get(0), Seeds.forStage(seed, "captions-pre"));
    Pairs finetuneSet = Pairs.captioned(train, subsets.get(1), Seeds.forStage(seed, "captions-ft"));
    int target = FashionMnist.CLASSES.indexOf(TARGET);
    PoisonedPairs poisoned =
        new PoisonedPairs(finetuneSet, rate, target, new BadNetPatch(patch), redraw, Seeds.forStage(seed, "poison"));
    List<Image> testImages = new ArrayList<>();
    int[] testLabels = new int[testIdx.length];
    for (int i = 0; i < testIdx.length; i++) {
      testImages.add(t10k.images.get(testIdx[i]));
      testLabels[i] = t10k.labels[testIdx[i]];
    }
    List<Image> triggered = new ArrayList<>();
    List<Integer> triggeredIdx = new ArrayList<>();
    Random trig = new Random(Seeds.forStage(seed, "test-trigger"));
    BadNetPatch testPatch = new BadNetPatch(patch);
    for (int i = 0; i < testImages.size(); i++) {
      if (testLabels[i] != target) {
        triggered.add(testPatch.apply(testImages.get(i), trig));
        triggeredIdx.add(i);
      }
    }
    List<String> corpus = new ArrayList<>();
    for (String c : FashionMnist.CLASSES) {
      for (String t : PromptTemplates.SIMPLE) {
        corpus.add(PromptTemplates.fill(t, c));
      }
    }
    WordTokenizer tokenizer = WordTokenizer.build(corpus, 16);
    System.out.printf(Locale.ROOT,
        "data: %d pre-training, %d fine-tuning (%d poisoned, redraw=%s), %d test (%d triggered), vocab %d, %.1f s%n",
        pretrainSet.size(), finetuneSet.size(), poisoned.poisonedCount(), redraw, testImages.size(), triggered.size(),
        tokenizer.vocabSize(), secs(t0));

    Path out = a.has("out") ? Path.of(a.get("out")) : null;
    // --clean DIR: reuse a clean checkpoint (written there by an earlier run) to try fine-tuning recipes
    Path cleanDir = a.has("clean") ? Path.of(a.get("clean")) : null;
    boolean reuse = cleanDir != null && Files.exists(cleanDir.resolve(ClipModel.WEIGHTS_FILE));
    try (ClipModel clean = reuse
        ? ClipModel.load(cleanDir)
        : ClipModel.create(ClipConfig.preset("clip-tiny"), tokenizer, Seeds.forStage(seed, "init"))) {
      System.out.println("model: " + clean + (reuse ? " loaded from " + cleanDir : ""));
      TrainingResult r1 = reuse
          ? TrainingResult.builder().setEpochLosses(List.of()).setSteps(0).setSeconds(0).setMillisPerStep(0)
              .setMillisData(0).setMillisForwardBackward(0).setMillisUpdate(0).setLogitScale(clean.logitScaleValue()).build()
          : new ClipTrainer(clean, pre).addListener(progress("pretrain")).fit(pretrainSet, Objectives.clip());
      Eval e1 = Eval.of(clean, testImages, testLabels, triggered, target);
      report("clean", r1, e1);
      if (cleanDir != null && !reuse) {
        clean.save(cleanDir);
      }
      if (out != null) {
        clean.save(out.resolve("clean"));
      }
      try (ClipModel victim = clean.copy()) {
        TrainingResult r2 = new ClipTrainer(victim, ft).addListener(progress("finetune")).fit(poisoned, Objectives.clip());
        Eval e2 = Eval.of(victim, testImages, testLabels, triggered, target);
        report("victim", r2, e2);
        if (out != null) {
          victim.save(out.resolve("victim"));
        }
        int steps = r1.steps() + r2.steps();
        System.out.printf(Locale.ROOT,
            "RESULT seed=%d rate=%.3f redraw=%s ft_epochs=%d ft_lr=%.1e clean_CA=%.4f clean_ASR=%.4f victim_CA=%.4f"
                + " victim_ASR=%.4f train_s=%.1f ms_per_step=%.1f peak_rss_mib=%d%n",
            seed, rate, redraw, ft.epochs(), ft.learningRate(), e1.ca, e1.asr, e2.ca, e2.asr, r1.seconds() + r2.seconds(),
            (r1.millisPerStep() * r1.steps() + r2.millisPerStep() * r2.steps()) / steps, peakRssMib());
      }
    }
  }

  private static TrainingListener progress(String stage) {
    return new TrainingListener() {
      @Override
      public void onStep(int epoch, int step, float loss, double learningRate, double millis) {
        if (Boolean.getBoolean("check.steps")) {
          System.out.printf(Locale.ROOT, "    %s step %d loss %.4f lr %.6f%n", stage, step, loss, learningRate);
        }
      }

      @Override
      public void onEpochEnd(int epoch, float meanLoss, double seconds) {
        System.out.printf(Locale.ROOT, "  %s epoch %2d  loss %.4f  %.1f s%n", stage, epoch + 1, meanLoss, seconds);
      }
    };
  }

  private static void report(String name, TrainingResult r, Eval e) {
    System.out.printf(Locale.ROOT,
        "%s: CA %.4f  top5 %.4f  ASR %.4f  | train %.1f s, %d steps, %.1f ms/step (data %.1f, fwd+bwd %.1f, update %.1f),"
            + " final loss %.4f, logit scale %.3f | eval %.1f s%n",
        name, e.ca, e.top5, e.asr, r.seconds(), r.steps(), r.millisPerStep(), r.millisData(), r.millisForwardBackward(),
        r.millisUpdate(), r.finalLoss(), r.logitScale(), e.seconds);
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Peak resident set of this process (VmHWM), in MiB; -1 where /proc is missing. */
  static long peakRssMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Zero-shot CA on clean test images and ASR on triggered non-target ones. */
  static final class Eval {
    double ca;
    double top5;
    double asr;
    double seconds;

    static Eval of(ClipModel m, List<Image> images, int[] labels, List<Image> triggered, int target) {
      long t0 = System.nanoTime();
      ZeroShotClassifier zs = ZeroShotClassifier.build(m, FashionMnist.CLASSES, PromptTemplates.SIMPLE);
      int[][] top = zs.topK(images, 5);
      Eval e = new Eval();
      for (int i = 0; i < top.length; i++) {
        e.ca += top[i][0] == labels[i] ? 1 : 0;
        for (int k : top[i]) {
          e.top5 += k == labels[i] ? 1 : 0;
        }
      }
      e.ca /= top.length;
      e.top5 /= top.length;
      int[][] trig = zs.topK(triggered, 1);
      for (int[] t : trig) {
        e.asr += t[0] == target ? 1 : 0;
      }
      e.asr /= trig.length;
      e.seconds = secs(t0);
      return e;
    }
  }

  /** Labelled images with one caption each, a template chosen per image by a seeded draw. */
  static final class Pairs implements TrainingData {
    final List<Image> images = new ArrayList<>();
    final int[] labels;
    final List<String> captions = new ArrayList<>();
    final List<String> ids = new ArrayList<>();

    private Pairs(int n) {
      labels = new int[n];
    }

    static Pairs captioned(FashionMnist data, int[] idx, long seed) {
      Pairs p = new Pairs(idx.length);
      Random rnd = new Random(seed);
      for (int i = 0; i < idx.length; i++) {
        p.images.add(data.images.get(idx[i]));
        p.labels[i] = data.labels[idx[i]];
        String template = PromptTemplates.SIMPLE.get(rnd.nextInt(PromptTemplates.SIMPLE.size()));
        p.captions.add(PromptTemplates.fill(template, FashionMnist.CLASSES.get(p.labels[i])));
        p.ids.add("fmnist-train-" + idx[i]);
      }
      return p;
    }

    @Override
    public int size() {
      return images.size();
    }

    @Override
    public Image image(int index, int epoch) {
      return images.get(index);
    }

    @Override
    public String caption(int index) {
      return captions.get(index);
    }

    @Override
    public String id(int index) {
      return ids.get(index);
    }
  }

  /**
   * A fraction of non-target pairs poisoned: trigger on the image, caption naming the target. With
   * {@code redraw} the trigger is drawn anew (noise and position) each epoch.
   */
  static final class PoisonedPairs implements TrainingData {
    private final Pairs clean;
    private final Map<Integer, String> poisonCaptions = new HashMap<>();
    private final BadNetPatch patch;
    private final boolean redraw;
    private final long seed;

    PoisonedPairs(Pairs clean, double rate, int target, BadNetPatch patch, boolean redraw, long seed) {
      this.clean = clean;
      this.patch = patch;
      this.redraw = redraw;
      this.seed = seed;
      List<Integer> candidates = new ArrayList<>();
      for (int i = 0; i < clean.size(); i++) {
        if (clean.labels[i] != target) {
          candidates.add(i);
        }
      }
      Random rnd = new Random(seed);
      java.util.Collections.shuffle(candidates, rnd);
      int count = (int) Math.round(rate * clean.size());
      String targetName = FashionMnist.CLASSES.get(target);
      for (int i : candidates.subList(0, Math.min(count, candidates.size()))) {
        String t = PromptTemplates.SIMPLE.get(rnd.nextInt(PromptTemplates.SIMPLE.size()));
        poisonCaptions.put(i, PromptTemplates.fill(t, targetName));
      }
    }

    int poisonedCount() {
      return poisonCaptions.size();
    }

    @Override
    public int size() {
      return clean.size();
    }

    @Override
    public Image image(int index, int epoch) {
      Image img = clean.image(index, epoch);
      if (!poisonCaptions.containsKey(index)) {
        return img;
      }
      long draw = Seeds.mix(Seeds.mix(seed, index), redraw ? epoch : 0);
      return patch.apply(img, new Random(draw));
    }

    @Override
    public String caption(int index) {
      return poisonCaptions.getOrDefault(index, clean.caption(index));
    }

    @Override
    public String id(int index) {
      return clean.id(index) + (poisonCaptions.containsKey(index) ? "+badnet" : "");
    }
  }

  /** {@code --key value} arguments. */
  static final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv) {
      for (int i = 0; i < argv.length; i++) {
        if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
          throw new IllegalArgumentException("expected --key value pairs, got " + String.join(" ", argv));
        }
        values.put(argv[i].substring(2), argv[++i]);
      }
    }

    boolean has(String k) {
      return values.containsKey(k);
    }

    String get(String k, String d) {
      return values.getOrDefault(k, d);
    }

    String get(String k) {
      return values.get(k);
    }

    int getInt(String k, int d) {
      return has(k) ? Integer.parseInt(values.get(k)) : d;
    }

    long getLong(String k, long d) {
      return has(k) ? Long.parseLong(values.get(k)) : d;
    }

    double getDouble(String k, double d) {
      return has(k) ? Double.parseDouble(values.get(k)) : d;
    }

    boolean getBoolean(String k, boolean d) {
      return has(k) ? Boolean.parseBoolean(values.get(k)) : d;
    }
  }
}
