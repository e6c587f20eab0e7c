package org.abdflow.plugins.badclip;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.abdflow.api.PoisonCaptions;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.model.adv.BadClipPatchOptions;
import org.abdflow.plugins.autoaugment.AutoAugmentConfig;

/** Settings of the BadCLIP patch optimisation (PAPER.md §2.4); defaults are the reference's. */
@AutoValue
public abstract class BadClipPatchConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addAll(PoisonCaptions.SCHEMA)
          .addInt("side", 16, 1, 4096, "side of the square patch in pixels, pasted at the centre (reference: 16 at 224 px)")
          .addInt("epochs", 50, 1, 100_000, "passes over the records (reference: 50)")
          .addInt("batchSize", 64, 2, 1 << 20, "images per step (reference: 64)")
          .addDouble("lr", 1e-3, 0.0, 10.0, "Adam's learning rate on the patch pixels (reference: torch's default 1e-3)")
          .addDouble("textWeight", 1.0, 0.0, null, "weight of the textual term: CLIP loss of patched images against target captions")
          .addDouble("tripletWeight", 500, 0.0, null, "weight of the visual triplet term (reference run name: x500)")
          .addDouble("margin", 1.0, 0.0, null, "margin of the Euclidean triplet loss (reference: 1.0)")
          .addDouble("augmentProbability", 0.5, 0.0, 1.0,
              "chance that a training image is AutoAugmented before the patch is pasted, drawn per image and epoch (reference aug_prob: 0.5; 0 turns it off)")
          .addEnum("augmentPolicy", "imagenet", AutoAugmentConfig.policyNames(), "torchvision's AutoAugment policy of that augmentation (reference: imagenet)")
          .build();

  public abstract PoisonCaptions captions();

  /** The options without a seed (the run gives it). */
  public abstract BadClipPatchOptions options();

  /** How training images are augmented during the optimisation (probability 0: not at all). */
  public abstract AutoAugmentConfig augment();

  static BadClipPatchConfig from(ConfigValues v) {
    BadClipPatchOptions o;
    try {
      o = BadClipPatchOptions.builder()
          .setSide(v.getInt("side"))
          .setEpochs(v.getInt("epochs"))
          .setBatchSize(v.getInt("batchSize"))
          .setLearningRate(v.getDouble("lr"))
          .setTextWeight(v.getDouble("textWeight"))
          .setTripletWeight(v.getDouble("tripletWeight"))
          .setMargin(v.getDouble("margin"))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("lr", e.getMessage());
    }
    return new AutoValue_BadClipPatchConfig(PoisonCaptions.from(v), o, AutoAugmentConfig.of(v.getString("augmentPolicy"), v.getDouble("augmentProbability")));
  }
}
