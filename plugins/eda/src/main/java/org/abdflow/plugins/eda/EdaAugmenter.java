package org.abdflow.plugins.eda;

import java.util.SplittableRandom;
import org.abdflow.api.Augmenter;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.pf4j.Extension;

/**
 * EDA of captions as CleanCLIP (and so ABD's T_eda) does it, PAPER.md §1.4: SR, RI, RS and RD each
 * make one candidate with WordNet 3.0 synonyms, and one candidate, drawn at random, is the
 * augmented caption. Images pass unchanged.
 */
@Extension
public class EdaAugmenter implements Augmenter<EdaConfig> {
  // Stateless but for the per-JVM WordNet cache, so one instance serves every thread.
  private static final Eda EDA = new Eda(WordNetSynonyms::of);

  @Override
  public String type() {
    return "Eda";
  }

  @Override
  public String description() {
    return "EDA of captions (synonym replacement, random insertion, swap, deletion; WordNet 3.0), as CleanCLIP";
  }

  @Override
  public ConfigSchema configSchema() {
    return EdaConfig.SCHEMA;
  }

  @Override
  public EdaConfig configure(ConfigValues values) {
    return EdaConfig.from(values);
  }

  /** The caption after one EDA operation; an empty or blank caption is returned as it is. */
  @Override
  public String augmentCaption(String caption, EdaConfig config, SplittableRandom rng) {
    if (caption == null || caption.isBlank()) {
      return caption;
    }
    return EDA.augment(caption, config, rng);
  }
}
