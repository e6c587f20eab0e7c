package org.abdflow.model.adv;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.api.image.Image;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
import org.abdflow.model.Synthetic;
import org.abdflow.model.text.WordTokenizer;
import org.abdflow.model.train.ClipTrainer;
import org.abdflow.model.train.Objectives;
import org.abdflow.model.train.TrainingOptions;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** BadCLIP's patch optimisation on tiny synthetic data against a briefly trained clip-tiny. */
public class BadClipPatchTrainerTest {
  private static final Synthetic DATA = new Synthetic(36, 5);
  private static ClipModel model;
  private static int threads;

  @BeforeClass
  public static void train() {
    Engine.getEngine("PyTorch");
    threads = JniUtils.getNumThreads();
    JniUtils.setNumThreads(1);
    model = ClipModel.create(ClipConfig.preset("clip-tiny"), WordTokenizer.build(DATA.captions(), 16), 3);
    new ClipTrainer(model, TrainingOptions.builder().setEpochs(12).setBatchSize(36).setLearningRate(5e-3).setWarmupSteps(1).build())
        .fit(DATA, Objectives.clip());
  }

  @AfterClass
  public static void close() {
    model.close();
    JniUtils.setNumThreads(threads);
  }

  private static AdvPatch fit(BadClipPatchTrainer trainer) {
    return fit(trainer, BadClipPatchTrainer.Augmentation.NONE);
  }

  private static AdvPatch fit(BadClipPatchTrainer trainer, BadClipPatchTrainer.Augmentation augment) {
    // target: "ring"; images of the other classes with the ring's captions, real rings as positives
    List<Image> images = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    List<Image> rings = new ArrayList<>();
    for (int i = 0; i < DATA.size(); i++) {
      if (Synthetic.CLASSES.get(DATA.label(i)).equals("ring")) {
        rings.add(DATA.images().get(i));
      } else {
        images.add(DATA.images().get(i));
        captions.add("a photo of a ring.");
      }
    }
    return trainer.fit(images, captions, rings, augment);
  }

  @Test
  public void lowersItsObjectiveKeepsThePatchInRangeAtTheCentreAndIsReproducible() {
    BadClipPatchOptions options = BadClipPatchOptions.builder().setSide(8).setEpochs(6).setBatchSize(12).setLearningRate(0.05)
        .setTripletWeight(5).setSeed(4).build();
    List<String> reports = new ArrayList<>();
    BadClipPatchTrainer trainer = new BadClipPatchTrainer(model, options)
        .onProgress((done, total, detail) -> reports.add(done + "/" + total + " " + detail));
    AdvPatch patch = fit(trainer);
    List<Float> losses = trainer.epochLosses();
    assertEquals(6, losses.size());
    // every step is reported, and the last one is the total
    String last = reports.get(reports.size() - 1);
    assertEquals(reports.size() + "/" + reports.size() + " epoch 6/6, last epoch's loss "
        + String.format(java.util.Locale.ROOT, "%.4f", losses.get(4)), last);
    assertThat(losses.get(losses.size() - 1), lessThan(losses.get(0)));
    assertEquals(new PatchMask(32, 12, 12, 8), patch.mask());
    Image px = patch.patchImage();
    assertEquals(8, px.width());
    // de-normalised back into [0, 1] pixels (patchImage clamps, so check the raw values too)
    float[] p = patch.perturbation();
    for (int c = 0; c < 3; c++) {
      double lo = (0 - patch.mean().get(c)) / patch.std().get(c) - 1e-4;
      double hi = (1 - patch.mean().get(c)) / patch.std().get(c) + 1e-4;
      for (int i = c * 32 * 32; i < (c + 1) * 32 * 32; i++) {
        assertEquals(true, p[i] == 0 || (p[i] >= lo && p[i] <= hi));
      }
    }
    AdvPatch again = fit(new BadClipPatchTrainer(model, options));
    assertArrayEquals(patch.perturbation(), again.perturbation(), 0f);
  }

  @Test
  public void aGenerationKilledAfterAnEpochResumesToTheSamePatch() throws Exception {
    BadClipPatchOptions options = BadClipPatchOptions.builder().setSide(8).setEpochs(3).setBatchSize(12).setLearningRate(0.05)
        .setTripletWeight(5).setSeed(4).build();
    BadClipPatchTrainer.Augmentation same = (image, rng) -> image;
    BadClipPatchTrainer straightTrainer = new BadClipPatchTrainer(model, options);
    AdvPatch straight = fit(straightTrainer, same);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("badclip-epochs");
    try {
      org.abdflow.model.train.EpochCheckpoints epochs = new org.abdflow.model.train.EpochCheckpoints(dir);
      int perEpoch = (int) java.util.stream.IntStream.range(0, DATA.size())
          .filter(i -> !Synthetic.CLASSES.get(DATA.label(i)).equals("ring")).count();
      int[] calls = {0};
      // the non-target images are drawn once per epoch: a throw after two epochs' worth is a kill in the third
      BadClipPatchTrainer.Augmentation killInThirdEpoch = (image, rng) -> {
        if (++calls[0] > 2 * perEpoch) {
          throw new IllegalStateException("killed");
        }
        return image;
      };
      org.junit.Assert.assertThrows(IllegalStateException.class,
          () -> fit(new BadClipPatchTrainer(model, options).checkpointEpochs(epochs), killInThirdEpoch));
      int[] resumedCalls = {0};
      BadClipPatchTrainer resumedTrainer = new BadClipPatchTrainer(model, options).checkpointEpochs(epochs);
      AdvPatch resumed = fit(resumedTrainer, (image, rng) -> {
        resumedCalls[0]++;
        return image;
      });
      assertEquals("only the third epoch is generated again", perEpoch, resumedCalls[0]);
      assertArrayEquals("the same patch in every bit", straight.perturbation(), resumed.perturbation(), 0f);
      assertEquals(straightTrainer.epochLosses(), resumedTrainer.epochLosses());
    } finally {
      try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  public void augmentsEveryTrainingImageOncePerEpochWithReproducibleDrawsAndNeverThePositives() {
    BadClipPatchOptions options = BadClipPatchOptions.builder().setSide(8).setEpochs(3).setBatchSize(12).setLearningRate(0.05)
        .setTripletWeight(5).setSeed(4).build();
    List<Image> seen = new ArrayList<>();
    List<Long> draws = new ArrayList<>();
    // inverts the image: a change the optimisation cannot miss
    BadClipPatchTrainer.Augmentation invert = (image, rng) -> {
      seen.add(image);
      draws.add(rng.nextLong());
      byte[] b = image.unsafeBytes().clone();
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (255 - (b[i] & 0xff));
      }
      return Image.wrap(image.height(), image.width(), image.channels(), b);
    };
    AdvPatch augmented = fit(new BadClipPatchTrainer(model, options), invert);
    long trainingImages = java.util.stream.IntStream.range(0, DATA.size())
        .filter(i -> !Synthetic.CLASSES.get(DATA.label(i)).equals("ring")).count();
    assertEquals(3 * trainingImages, seen.size());
    for (int i = 0; i < DATA.size(); i++) {
      if (Synthetic.CLASSES.get(DATA.label(i)).equals("ring")) {
        Image ring = DATA.images().get(i);
        assertEquals(false, seen.stream().anyMatch(x -> x == ring));
      }
    }
    assertEquals(3 * trainingImages, new java.util.HashSet<>(draws).size());
    List<Long> first = List.copyOf(draws);
    draws.clear();
    AdvPatch again = fit(new BadClipPatchTrainer(model, options), invert);
    assertEquals(first, draws);
    assertArrayEquals(augmented.perturbation(), again.perturbation(), 0f);
    AdvPatch plain = fit(new BadClipPatchTrainer(model, options));
    assertEquals(false, java.util.Arrays.equals(plain.perturbation(), augmented.perturbation()));
  }

  @Test
  public void tripletLossIsTorchs() {
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      ai.djl.ndarray.NDArray a = m.create(new float[][] {{0, 0}, {1, 0}});
      ai.djl.ndarray.NDArray pos = m.create(new float[][] {{3, 4}, {1, 0}});
      ai.djl.ndarray.NDArray neg = m.create(new float[][] {{0, 1}, {1, 2}});
      // max(5 - 1 + 1, 0) = 5 and max(0 - 2 + 1, 0) = 0, up to eps; mean 2.5
      assertEquals(2.5, BadClipPatchTrainer.triplet(a, pos, neg, 1.0).getFloat(), 1e-4);
    }
  }
}
