package org.abdflow.plugins.badnet;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
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
    return namesTarget(caption, config.target());
  }

  static boolean namesTarget(String caption, String target) {
    Pattern word = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(target.toLowerCase(Locale.ROOT)) + "(?![\\p{L}\\p{N}])");
    return caption != null && word.matcher(caption.toLowerCase(Locale.ROOT)).find();
  }

  @Override
  public String poisonCaption(String original, BadNetConfig config, SplittableRandom rng) {
    return original;
  }
}
