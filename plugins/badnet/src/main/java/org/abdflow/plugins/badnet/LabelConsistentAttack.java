package org.abdflow.plugins.badnet;

import java.util.SplittableRandom;
import org.abdflow.api.Samples;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.pf4j.Extension;

/**
 * Label-consistent BadNet (PAPER.md §2.5): BadNet's noise square on records whose caption already
 * names the target (as a whole word, any case); their captions are kept, so every poisoned pair
 * looks correctly labelled.
 */
@Extension
public class LabelConsistentAttack extends BadNetAttack {

  @Override
  public String type() {
    return "LabelConsistent";
  }

  @Override
  public String description() {
    return "BadNet's noise square on records whose caption already names the target; captions kept";
  }

  @Override
  public ConfigSchema configSchema() {
    return BadNetConfig.LABEL_CONSISTENT_SCHEMA;
  }

  @Override
  public BadNetConfig configure(ConfigValues values) {
    return BadNetConfig.labelConsistent(values);
  }

  @Override
  public boolean eligible(String caption, BadNetConfig config) {
    return Samples.namesClass(caption, config.target());
  }

  @Override
  public String poisonCaption(String original, BadNetConfig config, SplittableRandom rng) {
    return original;
  }
}
