package org.abdflow.plugins.metrics;

import org.abdflow.api.Metric;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.schema.Prediction;
import org.pf4j.Extension;

/**
 * Attack success rate (PAPER.md §4.3): the fraction of triggered images, of classes other than the
 * target, whose top-1 prediction is the target.
 */
@Extension
public class AttackSuccessRate implements Metric<NoConfig> {

  @Override
  public String type() {
    return "AttackSuccessRate";
  }

  @Override
  public String description() {
    return "top-1 = target on triggered images of non-target classes (ASR)";
  }

  @Override
  public ConfigSchema configSchema() {
    return NoConfig.SCHEMA;
  }

  @Override
  public NoConfig configure(ConfigValues values) {
    return NoConfig.INSTANCE;
  }

  @Override
  public String name(NoConfig config) {
    return "attack_success_rate";
  }

  @Override
  public boolean appliesTo(Prediction p, NoConfig config) {
    return !"none".equals(p.getAttack()) && p.getTarget() >= 0 && p.getLabel() != p.getTarget();
  }

  @Override
  public boolean hit(Prediction p, NoConfig config) {
    return !p.getTopK().isEmpty() && p.getTopK().get(0) == p.getTarget();
  }
}
