package org.abdflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  @Parameters(arity = "0..*", paramLabel = "NAME", description = "benchmarks to run (default: all): train-step, patch-step, abd-step")
  List<String> names = new ArrayList<>();

  @Option(names = "--model", defaultValue = "clip-tiny", description = "model preset")
  String preset;

  @Option(names = "--batch", defaultValue = "128", description = "pairs per step of train-step and abd-step")
  int batch;

  @Option(names = "--patch-batch", defaultValue = "16", description = "images per step of patch-step")
  int patchBatch;

  @Option(names = "--steps", defaultValue = "40", description = "measured steps (after 10 warm-up steps)")
  int steps;

  @Override
  public Integer call() throws Exception {
    for (String n : names) {
      if (!List.of("train-step", "patch-step", "abd-step").contains(n)) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "unknown benchmark " + n + " (known: train-step, patch-step, abd-step)");
      }
    }
    if (names.isEmpty() || names.contains("train-step")) {
      trainStep(false);
    }
    if (names.isEmpty() || names.contains("patch-step")) {
      patchStep();
    }
    if (names.isEmpty() || names.contains("abd-step")) {
      trainStep(true);
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
      TrainingOptions warm = TrainingOptions.builder().setEpochs(3).setBatchSize(batch).setLearningRate(1e-4).setSeed(0).build();
      new ClipTrainer(model, warm).fit(data, objective);
      int epochs = Math.max(1, (steps + 3) / 4);
      TrainingOptions measured = warm.toBuilder().setEpochs(epochs).build();
      TrainingResult r = new ClipTrainer(model, measured).fit(data, objective);
      print(abd ? "abd-step" : "train-step", batch, r.millisPerStep(), r.steps());
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

  /** patch-step: one G + D step of ABD's Stage A against a frozen origin and poisoned model. */
  private void patchStep() {
    ClipConfig config = ClipConfig.preset(preset);
    TrainingData data = syntheticData(config, patchBatch * 4, false);
    WordTokenizer tokenizer = WordTokenizer.build(captions(data), config.contextLength());
    try (ClipModel origin = ClipModel.create(config, tokenizer, 0); ClipModel poisoned = ClipModel.create(config, tokenizer, 1)) {
      AdvPatchOptions warm = AdvPatchOptions.demoBuilder().setBatchSize(patchBatch).setEpochs(3).setSeed(0).build();
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
    }
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
