package org.abdflow.plugins.badclip;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.abdflow.api.ArtifactGenerator;
import org.abdflow.api.Samples;
import org.abdflow.api.Seeds;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.Image;
import org.abdflow.model.ClipModel;
import org.abdflow.model.adv.AdvPatch;
import org.abdflow.model.adv.BadClipPatchTrainer;
import org.abdflow.plugins.autoaugment.AutoAugmentAugmenter;
import org.abdflow.schema.Sample;
import org.pf4j.Extension;

/**
 * {@code BadClipPatch}: BadCLIP's patch optimised against the clean model before poisoning
 * (PAPER.md §2.4). Records whose class is the target are the real target images of the triplet
 * term (the reference's banana_rows.csv); every other record is a training image, with its own
 * caption when that names the target (the reference's natural captions, cc3m_natural_10K) or else
 * a target caption from the templates, and AutoAugmented (the {@code autoaugment} plugin's augmenter, a PF4J plugin
 * dependency) before the patch is pasted. The patch is an artifact of kind {@code badclip-patch} for the {@code BadClip}
 * attack. Model input: the clean model.
 */
@Extension
public class BadClipPatchGenerator implements ArtifactGenerator<BadClipPatchConfig> {
  /** The artifact kind of the optimised patch (saved in the adv-patch format). */
  public static final String KIND = "badclip-patch";

  @Override
  public String type() {
    return "BadClipPatch";
  }

  @Override
  public String description() {
    return "BadCLIP's trigger: a centre patch optimised against the clean model (textual contrastive + visual triplet terms)";
  }

  @Override
  public ConfigSchema configSchema() {
    return BadClipPatchConfig.SCHEMA;
  }

  @Override
  public BadClipPatchConfig configure(ConfigValues values) {
    return BadClipPatchConfig.from(values);
  }

  @Override
  public String artifactKind(BadClipPatchConfig config) {
    return KIND;
  }

  @Override
  public List<String> modelRoles(BadClipPatchConfig config) {
    return List.of("clean");
  }

  @Override
  public Map<String, Object> generate(BadClipPatchConfig config, Input input, Path out) throws IOException {
    String target = config.captions().target();
    List<Image> images = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    List<Image> positives = new ArrayList<>();
    int natural = 0;
    for (Sample s : input.records()) {
      Image image = Samples.image(s);
      if (s.getClassName() != null && s.getClassName().equalsIgnoreCase(target)) {
        positives.add(image);
      } else if (Samples.namesClass(s.getCaption(), target)) {
        // the reference's data: natural captions that name the target, on images that are not of it
        images.add(image);
        captions.add(s.getCaption());
        natural++;
      } else {
        images.add(image);
        captions.add(config.captions().caption(new SplittableRandom(Seeds.forRecord(input.seed(), "captions", s.getId()))));
      }
    }
    BadClipPatchTrainer trainer;
    AdvPatch patch;
    try (ClipModel clean = ClipModel.load(input.models().get(0))) {
      trainer = new BadClipPatchTrainer(clean, config.options().toBuilder().setSeed(input.seed()).build()).onProgress(input::progress);
      input.epochCheckpoints().ifPresent(dir -> trainer.checkpointEpochs(new org.abdflow.model.train.EpochCheckpoints(dir)));
      AutoAugmentAugmenter autoAugment = new AutoAugmentAugmenter();
      BadClipPatchTrainer.Augmentation augment = config.augment().probability() == 0
          ? BadClipPatchTrainer.Augmentation.NONE
          : (image, rng) -> autoAugment.augmentImage(image, config.augment(), rng);
      patch = trainer.fit(images, captions, positives, augment);
    }
    patch.save(out);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("images", images.size());
    summary.put("target_images", positives.size());
    summary.put("natural_captions", natural);
    summary.put("mask", patch.mask().toString());
    summary.put("options", config.options().toString());
    summary.put("augment", config.augment().toString());
    summary.put("loss_per_epoch", trainer.epochLosses());
    return summary;
  }
}
