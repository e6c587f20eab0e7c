package org.abdflow.model.adv;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
import org.abdflow.model.Synthetic;
import org.abdflow.model.nn.StateEntry;
import org.abdflow.model.text.WordTokenizer;
import org.abdflow.model.train.ClipTrainer;
import org.abdflow.model.train.Objectives;
import org.abdflow.model.train.TrainingOptions;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Short patch-generation runs on tiny synthetic data against two differently seeded clip-tiny
 * models. Both are first trained for a dozen CLIP steps: a freshly initialised clip-tiny maps every
 * image to nearly the same direction (cosine ≥ 0.9999), where no patch moves InfoNCE off chance.
 */
public class AdvPatchTrainerTest {
  private static final Synthetic DATA = new Synthetic(24, 3);
  private static final AdvPatchOptions OPTIONS =
      AdvPatchOptions.demoBuilder().setEpochs(2).setBatchSize(8).setLearningRate(2e-3).setSeed(6).build();

  private static ClipModel origin;
  private static ClipModel poisoned;
  private static int threads;

  @BeforeClass
  public static void models() {
    // one libtorch thread: on cores shared with other work, OpenMP's spinning barriers make this
    // many-small-op loop up to 20x slower with two (the thread count is process-wide; restored below)
    Engine.getEngine("PyTorch");
    threads = JniUtils.getNumThreads();
    JniUtils.setNumThreads(1);
    WordTokenizer tok = WordTokenizer.build(DATA.captions(), 16);
    origin = ClipModel.create(ClipConfig.preset("clip-tiny"), tok, 1);
    poisoned = ClipModel.create(ClipConfig.preset("clip-tiny"), tok, 2);
    TrainingOptions warm =
        TrainingOptions.builder().setEpochs(12).setBatchSize(24).setLearningRate(5e-3).setWarmupSteps(1).build();
    new ClipTrainer(origin, warm).fit(DATA, Objectives.clip());
    new ClipTrainer(poisoned, warm).fit(DATA, Objectives.clip());
  }

  @AfterClass
  public static void close() {
    origin.close();
    poisoned.close();
    JniUtils.setNumThreads(threads);
  }

  /** Records every step's terms and the networks' live arrays after each epoch. */
  private static final class Recorder implements AdvPatchListener {
    final List<PatchLossTerms> steps = new ArrayList<>();
    final List<Integer> liveAfterEpoch = new ArrayList<>();
    final List<Double> millis = new ArrayList<>();
    AdvPatchTrainer trainer;

    @Override
    public void onStep(int epoch, int step, PatchLossTerms terms, double ms) {
      steps.add(terms);
      millis.add(ms);
    }

    @Override
    public void onEpochEnd(int epoch, PatchLossTerms means, double seconds) {
      liveAfterEpoch.add(trainer.liveArrays());
    }
  }

  private static AdvPatch fit(AdvPatchOptions options, Recorder recorder) {
    AdvPatchTrainer trainer = new AdvPatchTrainer(origin, poisoned, options);
    if (recorder != null) {
      recorder.trainer = trainer;
      trainer.addListener(recorder);
    }
    return trainer.fit(DATA);
  }

  @Test
  public void shortRunLowersTheAttackTermsLeavesClipUntouchedAndIsReproducible() {
    Map<String, float[]> originBefore = snapshot(origin);
    Map<String, float[]> poisonedBefore = snapshot(poisoned);
    int originArrays = origin.manager().getManagedArrays().size();
    Recorder rec = new Recorder();
    AdvPatch first = fit(OPTIONS, rec);
    System.out.println("adv patch history " + first.history() + ", ms per step " + rec.millis);

    assertEquals(2, first.history().size());
    assertEquals(6, rec.steps.size());
    double before = first.history().get(0).attack(OPTIONS);
    double after = first.history().get(1).attack(OPTIONS);
    assertThat("α·L_adv + δ·L_topo − μ·L_bd falls", after, lessThan(before));
    assertEquals(new PatchMask(32, 24, 24, 6), first.mask());

    assertWeightsEqual(originBefore, snapshot(origin));
    assertWeightsEqual(poisonedBefore, snapshot(poisoned));
    assertEquals(originArrays, origin.manager().getManagedArrays().size());
    assertFalse(origin.stateDict().get("visual.conv1.weight").array().hasGradient());

    AdvPatch second = fit(OPTIONS, null);
    assertArrayEquals(first.perturbation(), second.perturbation(), 0f);
    assertEquals(first.history(), second.history());
    float[] other = fit(OPTIONS.toBuilder().setEpochs(1).setSeed(6).build(), null).perturbation();
    assertFalse("another seed, another patch", Arrays.equals(first.perturbation(), other));
  }

  @Test
  public void withoutTheBackdoorLossTheObjectiveDropsIt() {
    AdvPatchOptions one = OPTIONS.toBuilder().setEpochs(1).build();
    Recorder separate = new Recorder();
    fit(one, separate);
    Recorder off = new Recorder();
    fit(one.toBuilder().setBdSign(AdvPatchOptions.BdSign.OFF).build(), off);
    // the first step starts from the same G, D and batch: every term agrees but the total
    PatchLossTerms s = separate.steps.get(0);
    PatchLossTerms o = off.steps.get(0);
    assertEquals(s.bd(), o.bd(), 0);
    assertEquals(s.adv(), o.adv(), 0);
    double base = o.gan() + one.alpha() * o.adv() + o.rec() + one.delta() * o.topo();
    assertThat(o.generator(), closeTo(base, 1e-4 * Math.abs(base) + 1e-5));
    assertThat(s.generator(), closeTo(base - one.mu() * s.bd(), 1e-4 * Math.abs(base) + 1e-5));
    assertNotEquals(s.generator(), o.generator(), 1e-3);
    assertNotEquals("the runs part after the first update", separate.steps.get(2).adv(), off.steps.get(2).adv(), 0);
  }

  @Test
  public void stepsReleaseTheirArrays() {
    Recorder rec = new Recorder();
    fit(OPTIONS.toBuilder().setEpochs(3).setAdvEncoder(AdvPatchOptions.AdvEncoder.POISONED).build(), rec);
    assertEquals(3, rec.liveAfterEpoch.size());
    assertEquals(rec.liveAfterEpoch.get(0), rec.liveAfterEpoch.get(2));
  }

  @Test
  public void discriminatorWeightsAreClippedInPlace() {
    try (NDManager m = NDManager.newBaseManager(); NDManager sm = m.newSubManager()) {
      NDArray w = m.create(new float[] {-0.5f, -0.01f, 0.004f, 0.02f, 3f});
      int before = m.getManagedArrays().size();
      AdvPatchTrainer.clip(List.of(w), 0.01, sm);
      assertArrayEquals(new float[] {-0.01f, -0.01f, 0.004f, 0.01f, 0.01f}, w.toFloatArray(), 0f);
      sm.close();
      assertEquals("nothing left on the weights' manager", before, m.getManagedArrays().size());
    }
  }

  @Test
  public void aGenerationKilledAfterAnEpochResumesToTheSamePatch() throws Exception {
    AdvPatchOptions three = OPTIONS.toBuilder().setEpochs(3).build();
    AdvPatch straight = fit(three, null);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("adv-patch-epochs");
    try {
      org.abdflow.model.train.EpochCheckpoints epochs = new org.abdflow.model.train.EpochCheckpoints(dir);
      AdvPatchTrainer killed = new AdvPatchTrainer(origin, poisoned, three).checkpointEpochs(epochs).addListener(new AdvPatchListener() {
        @Override
        public void onStep(int epoch, int step, PatchLossTerms terms, double millis) {
          if (epoch == 2) {
            throw new IllegalStateException("killed");
          }
        }
      });
      org.junit.Assert.assertThrows(IllegalStateException.class, () -> killed.fit(DATA));
      List<Integer> run = new ArrayList<>();
      AdvPatch resumed = new AdvPatchTrainer(origin, poisoned, three).checkpointEpochs(epochs).addListener(new AdvPatchListener() {
        @Override
        public void onEpochEnd(int epoch, PatchLossTerms means, double seconds) {
          run.add(epoch);
        }
      }).fit(DATA);
      assertEquals("only the unfinished epoch is generated again", List.of(2), run);
      assertArrayEquals("the same patch in every bit", straight.perturbation(), resumed.perturbation(), 0f);
      assertEquals(straight.history(), resumed.history());
    } finally {
      try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Map<String, float[]> snapshot(ClipModel model) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, StateEntry> e : model.stateDict().entrySet()) {
      out.put(e.getKey(), e.getValue().array().toFloatArray());
    }
    return out;
  }

  private static void assertWeightsEqual(Map<String, float[]> expected, Map<String, float[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (String k : expected.keySet()) {
      assertArrayEquals(k, expected.get(k), actual.get(k), 0f);
    }
  }
}
