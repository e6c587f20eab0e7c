package org.abdflow.plugins.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.abdflow.schema.Prediction;
import org.junit.Test;

public class MetricsTest {
  private static Prediction p(String attack, int label, int target, Integer... top) {
    return Prediction.newBuilder().setModel("m").setAttack(attack).setId("x").setLabel(label).setTarget(target)
        .setTopK(List.of(top)).build();
  }

  @Test
  public void cleanAccuracyCountsTop1OnCleanImagesOnly() {
    CleanAccuracy ca = new CleanAccuracy();
    assertTrue(ca.hit(p("none", 3, -1, 3, 1), NoConfig.INSTANCE));
    assertFalse(ca.hit(p("none", 3, -1, 1, 3), NoConfig.INSTANCE));
    assertTrue(ca.appliesTo(p("none", 3, -1, 3), NoConfig.INSTANCE));
    assertFalse(ca.appliesTo(p("badnet", 3, 8, 3), NoConfig.INSTANCE));
  }

  @Test
  public void top5LooksAtFivePredictions() {
    CleanTop5 t5 = new CleanTop5();
    assertTrue(t5.hit(p("none", 3, -1, 0, 1, 2, 4, 3, 5), NoConfig.INSTANCE));
    assertFalse(t5.hit(p("none", 3, -1, 0, 1, 2, 4, 5, 3), NoConfig.INSTANCE));
  }

  @Test
  public void asrSkipsTheTargetClassAndCleanImages() {
    AttackSuccessRate asr = new AttackSuccessRate();
    assertTrue(asr.appliesTo(p("badnet", 3, 8, 8), NoConfig.INSTANCE));
    assertFalse(asr.appliesTo(p("badnet", 8, 8, 8), NoConfig.INSTANCE));
    assertFalse(asr.appliesTo(p("none", 3, -1, 8), NoConfig.INSTANCE));
    assertTrue(asr.hit(p("badnet", 3, 8, 8, 3), NoConfig.INSTANCE));
    assertFalse(asr.hit(p("badnet", 3, 8, 3, 8), NoConfig.INSTANCE));
    AttackSuccessRateAll all = new AttackSuccessRateAll();
    assertTrue(all.appliesTo(p("badnet", 8, 8, 8), NoConfig.INSTANCE));
    assertEquals("attack_success_rate_all", all.name(NoConfig.INSTANCE));
  }
}
