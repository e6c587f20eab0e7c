package org.abdflow.plugins.badclip;

import java.util.List;
import java.util.SplittableRandom;
import org.abdflow.api.ArtifactInputs;
import org.abdflow.api.Attack;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.Image;
import org.abdflow.model.adv.AdvPatch;
import org.pf4j.Extension;

/**
 * BadCLIP (PAPER.md §2.4): the optimised patch of a {@code BadClipPatch} stage pasted at the image
 * centre, the same for every image; poisoned captions name the target. Inputs: records and the
 * patch.
 */
@Extension
public class BadClipAttack implements Attack<BadClipConfig> {

  @Override
  public String type() {
    return "BadClip";
  }

  @Override
  public String description() {
    return "BadCLIP: the optimised patch of a BadClipPatch stage at the image centre; captions name the target";
  }

  @Override
  public ConfigSchema configSchema() {
    return BadClipConfig.SCHEMA;
  }

  @Override
  public BadClipConfig configure(ConfigValues values) {
    return BadClipConfig.from(values);
  }

  @Override
  public List<String> artifactKinds(BadClipConfig config) {
    return List.of(BadClipPatchGenerator.KIND);
  }

  @Override
  public Image trigger(Image image, BadClipConfig config, SplittableRandom rng) {
    throw new IllegalStateException("BadClip needs its badclip-patch input artifact");
  }

  @Override
  public Image trigger(Image image, BadClipConfig config, SplittableRandom rng, ArtifactInputs artifacts) {
    AdvPatch patch = artifacts.load(BadClipPatchGenerator.KIND, AdvPatch::load);
    if (image.height() != patch.resolution() || image.width() != patch.resolution()) {
      throw new IllegalArgumentException("the image is " + image.height() + "x" + image.width() + " but the BadCLIP patch was made for "
          + patch.resolution() + " px images (resize the source to the model's size)");
    }
    return patch.paste(image, patch.mask().row(), patch.mask().col());
  }

  @Override
  public String poisonCaption(String original, BadClipConfig config, SplittableRandom rng) {
    return config.captions().caption(rng);
  }

  @Override
  public PoisoningOptions poisoning(BadClipConfig config) {
    return config.poisoning();
  }

  @Override
  public String target(BadClipConfig config) {
    return config.captions().target();
  }
}
