package org.abdflow.plugins.metrics;

import org.abdflow.schema.Prediction;
import org.pf4j.Extension;

/**
 * The attack success rate as the BadCLIP evaluation code counts it (PAPER.md §4.3): over every
 * triggered image, target-class images included.
 */
@Extension
public class AttackSuccessRateAll extends AttackSuccessRate {

  @Override
  public String type() {
    return "AttackSuccessRateAll";
  }

  @Override
  public String description() {
    return "top-1 = target on all triggered images, target class included (BadCLIP's count)";
  }

  @Override
  public String name(NoConfig config) {
    return "attack_success_rate_all";
  }

  @Override
  public boolean appliesTo(Prediction p, NoConfig config) {
    return !"none".equals(p.getAttack()) && p.getTarget() >= 0;
  }
}
