package org.abdflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.image.Image;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
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
@Command(name = "bench", description = "Benchmarks: train-step (clip-tiny, fwd + bwd + AdamW). Prints ms/step and peak RSS.")
final class BenchCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "NAME", description = "benchmarks to run (default: all): train-step")
  List<String> names = new ArrayList<>();

  @Option(names = "--model", defaultValue = "clip-tiny", description = "model preset")
  String preset;

  @Option(names = "--batch", defaultValue = "128")
  int batch;

  @Option(names = "--steps", defaultValue = "40", description = "measured steps (after 10 warm-up steps)")
  int steps;

  @Override
  public Integer call() throws Exception {
    if (names.isEmpty() || names.contains("train-step")) {
      trainStep();
    }
    return 0;
  }

  private void trainStep() throws IOException {
    ClipConfig config = ClipConfig.preset(preset);
    int res = config.imageResolution();
    Random rnd = new Random(0);
    List<Image> images = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    String[] classes = {"t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"};
    for (int i = 0; i < batch * 4; i++) {
      byte[] px = new byte[res * res];
      rnd.nextBytes(px);
      images.add(Image.wrap(res, res, 1, px));
      captions.add(PromptTemplates.fill(PromptTemplates.SIMPLE.get(i % PromptTemplates.SIMPLE.size()), classes[i % classes.length]));
    }
    TrainingData data =
        new TrainingData() {
          public int size() {
            return images.size();
          }

          public Image image(int index, int epoch) {
            return images.get(index);
          }

          public String caption(int index) {
            return captions.get(index);
          }

          public String id(int index) {
            return Integer.toString(index);
          }
        };
    try (ClipModel model = ClipModel.create(config, WordTokenizer.build(captions, config.contextLength()), 0)) {
      TrainingOptions warm = TrainingOptions.builder().setEpochs(3).setBatchSize(batch).setLearningRate(1e-4).setSeed(0).build();
      new ClipTrainer(model, warm).fit(data, Objectives.clip());
      int epochs = Math.max(1, (steps + 3) / 4);
      TrainingOptions measured = warm.toBuilder().setEpochs(epochs).build();
      TrainingResult r = new ClipTrainer(model, measured).fit(data, Objectives.clip());
      System.out.printf(Locale.ROOT, "%-24s %-10s batch %4d  %8.1f ms/step over %d steps  peak RSS %s MiB  (threads: %s)%n",
          "train-step", preset, batch, r.millisPerStep(), r.steps(), peakRssMiB(),
          System.getProperty("ai.djl.pytorch.num_threads", "libtorch default"));
    }
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
