package org.abdflow.model.train;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
import org.abdflow.model.Synthetic;
import org.abdflow.model.nn.StateEntry;
import org.abdflow.model.text.WordTokenizer;
import org.junit.Test;

public class ClipTrainerTest {
  private static final TrainingOptions OPTIONS =
      TrainingOptions.builder().setEpochs(3).setBatchSize(20).setLearningRate(2e-3).setWarmupSteps(2).setSeed(7).build();

  private static ClipModel model(Synthetic data) {
    return ClipModel.create(ClipConfig.preset("clip-tiny"), WordTokenizer.build(data.captions(), 16), 11);
  }

  @Test
  public void shortRunLowersTheLossAndIsReproducible() {
    Synthetic data = new Synthetic(60, 3);
    List<Float> stepLosses = new ArrayList<>();
    float[] first;
    TrainingResult r1;
    try (ClipModel model = model(data)) {
      float before = model.stateDict().get("visual.conv1.weight").array().getFloat(0, 0, 0, 0);
      r1 = new ClipTrainer(model, OPTIONS)
          .addListener(new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, float loss, double lr, double millis) {
              stepLosses.add(loss);
            }
          })
          .fit(data, Objectives.clip());
      assertEquals(9, r1.steps());
      assertEquals(3, r1.epochLosses().size());
      assertNotEquals(before, model.stateDict().get("visual.conv1.weight").array().getFloat(0, 0, 0, 0));
      assertThat(r1.finalLoss(), lessThan(r1.epochLosses().get(0)));
      assertThat(stepLosses.get(8), lessThan(stepLosses.get(0)));
      assertFalse("gradients are off again after training",
          model.stateDict().get("visual.conv1.weight").array().hasGradient());
      first = weights(model);
    }
    try (ClipModel model = model(data)) {
      TrainingResult r2 = new ClipTrainer(model, OPTIONS).fit(data, Objectives.clip());
      assertEquals(r1.epochLosses(), r2.epochLosses());
      assertArrayEquals(first, weights(model), 0f);
    }
  }

  private static float[] weights(ClipModel model) {
    Map<String, StateEntry> s = model.stateDict();
    float[] a = s.get("visual.attnpool.c_proj.weight").array().toFloatArray();
    float[] b = s.get("transformer.resblocks.0.mlp.c_fc.weight").array().toFloatArray();
    float[] out = new float[a.length + b.length + 1];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    out[out.length - 1] = model.logitScaleValue();
    return out;
  }

  @Test
  public void aTransientNonFiniteStepIsComputedAgainBeforeAnyUpdate() {
    assertOneGlitchIsRecomputed(loss -> loss.mul(Float.NaN), null);
  }

  @Test
  public void aFiniteLossWithANonFiniteGradientIsComputedAgain() {
    // sqrt(0 * s) is 0, so the loss stays the same, but its gradient is 0 * inf = NaN for the logit scale
    assertOneGlitchIsRecomputed(null, scale -> scale.mul(0).sqrt());
  }

  /** The 4th step's loss is {@code onLoss(loss)}, or loss + {@code onScale(logit scale)}: computed again, no trace left. */
  private void assertOneGlitchIsRecomputed(java.util.function.UnaryOperator<NDArray> onLoss,
      java.util.function.UnaryOperator<NDArray> onScale) {
    Synthetic data = new Synthetic(40, 4);
    TrainingOptions two = OPTIONS.toBuilder().setEpochs(2).build();
    float[] clean;
    try (ClipModel model = model(data)) {
      new ClipTrainer(model, two).fit(data, Objectives.clip());
      clean = weights(model);
    }
    int[] calls = {0};
    Objective glitchOnce = batch -> {
      NDArray loss = Objectives.clipLoss(batch);
      if (calls[0]++ != 3) {
        return loss;
      }
      return onLoss != null ? onLoss.apply(loss) : loss.add(onScale.apply(batch.logitScale()));
    };
    try (ClipModel model = model(data)) {
      TrainingResult r = new ClipTrainer(model, two).fit(data, glitchOnce);
      assertEquals(1, r.recomputedSteps());
      assertArrayEquals("the glitch left no trace in the weights", clean, weights(model), 0f);
    }
  }

  @Test
  public void aStepThatStaysNonFiniteFailsTheRun() {
    Synthetic data = new Synthetic(40, 4);
    try (ClipModel model = model(data)) {
      float before = model.stateDict().get("text_projection").array().getFloat(0, 0);
      IllegalStateException e = org.junit.Assert.assertThrows(IllegalStateException.class,
          () -> new ClipTrainer(model, OPTIONS).fit(data, batch -> Objectives.clipLoss(batch).mul(Float.NaN)));
      assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("lower the learning rate"));
      assertEquals("no update was applied", before, model.stateDict().get("text_projection").array().getFloat(0, 0), 0f);
    }
  }

  @Test
  public void stepsReleaseTheirArrays() {
    Synthetic data = new Synthetic(40, 4);
    try (ClipModel model = model(data)) {
      TrainingOptions one = OPTIONS.toBuilder().setEpochs(1).build();
      new ClipTrainer(model, one).fit(data, Objectives.clip());
      int after1 = model.manager().getManagedArrays().size();
      new ClipTrainer(model, one.toBuilder().setEpochs(3).build()).fit(data, Objectives.clip());
      assertEquals(after1, model.manager().getManagedArrays().size());
    }
  }

  @Test
  public void weightDecaySparesNormsBiasesAndTheLogitScale() {
    Synthetic data = new Synthetic(3, 1);
    try (ClipModel model = model(data); AdamW adam = new AdamW(model.stateDict(), model.manager(), OPTIONS)) {
      List<String> decayed = adam.decayed();
      assertThat(decayed, hasItem("visual.conv1.weight"));
      assertThat(decayed, hasItem("transformer.resblocks.0.attn.in_proj_weight"));
      assertThat(decayed, hasItem("text_projection"));
      assertThat(decayed, not(hasItem("logit_scale")));
      assertThat(decayed, not(hasItem("visual.bn1.weight")));
      assertThat(decayed, not(hasItem("visual.layer1.0.downsample.1.weight")));
      assertThat(decayed, not(hasItem("ln_final.weight")));
      assertThat(decayed, not(hasItem("visual.attnpool.q_proj.bias")));
    }
  }

  @Test
  public void scheduleWarmsUpThenDecaysToZero() {
    TrainingOptions o = TrainingOptions.builder().setEpochs(1).setLearningRate(1.0).setWarmupSteps(4).build();
    assertEquals(0.25, o.learningRate(0, 104), 1e-12);
    assertEquals(1.0, o.learningRate(3, 104), 1e-12);
    assertEquals(1.0, o.learningRate(4, 104), 1e-12);
    assertEquals(0.5, o.learningRate(54, 104), 1e-12);
    assertEquals(0.0, o.learningRate(104, 104), 1e-12);
  }

  @Test
  public void batchOrderDependsOnSeedAndEpochOnly() {
    assertArrayEquals(ClipTrainer.order(1, 2, 50), ClipTrainer.order(1, 2, 50));
    assertThat(List.of(ClipTrainer.order(1, 2, 50)), not(contains(ClipTrainer.order(1, 3, 50))));
    int[] o = ClipTrainer.order(9, 0, 100).clone();
    java.util.Arrays.sort(o);
    for (int i = 0; i < 100; i++) {
      assertEquals(i, o[i]);
    }
  }

  @Test
  public void clipLossMatchesItsDefinition() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray u = m.create(new float[][] {{1, 0}, {0.6f, 0.8f}});
      NDArray v = m.create(new float[][] {{0.8f, 0.6f}, {0, 1}});
      NDArray s = m.create(0.5f);
      StepBatch b = new StepBatch(u, v, s, Map.of(), 0, m);
      double t = Math.exp(0.5);
      double[][] l = {{0.8 * t, 0}, {0.96 * t, 0.8 * t}};
      double rows = -(l[0][0] - Math.log(Math.exp(l[0][0]) + Math.exp(l[0][1])))
          - (l[1][1] - Math.log(Math.exp(l[1][0]) + Math.exp(l[1][1])));
      double cols = -(l[0][0] - Math.log(Math.exp(l[0][0]) + Math.exp(l[1][0])))
          - (l[1][1] - Math.log(Math.exp(l[0][1]) + Math.exp(l[1][1])));
      assertEquals((rows + cols) / 4, Objectives.clip().loss(b).getFloat(), 1e-5);
    }
  }
}
