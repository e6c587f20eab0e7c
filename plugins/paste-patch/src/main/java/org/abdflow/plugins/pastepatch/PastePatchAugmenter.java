package org.abdflow.plugins.pastepatch;

import java.util.List;
import java.util.SplittableRandom;
import org.abdflow.api.ArtifactInputs;
import org.abdflow.api.Augmenter;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.Image;
import org.abdflow.model.adv.AdvPatch;
import org.pf4j.Extension;

/**
 * ABD's image augmentation (PAPER.md §1.4): the patch of an {@code AdvClipPatch} stage (artifact
 * kind {@code adv-patch}) pasted on the record's image, as its augmented view I_adv; only the
 * patch's square changes. Grey images become RGB (replicated) because the patch has colour.
 */
@Extension
public class PastePatchAugmenter implements Augmenter<PastePatchConfig> {
  /** The artifact kind AdvClipPatch writes. */
  public static final String PATCH_KIND = AdvPatch.ARTIFACT_KIND;

  @Override
  public String type() {
    return "PastePatch";
  }

  @Override
  public String description() {
    return "pastes an AdvClipPatch patch on every record's image as its augmented view (ABD's I_adv)";
  }

  @Override
  public ConfigSchema configSchema() {
    return PastePatchConfig.SCHEMA;
  }

  @Override
  public PastePatchConfig configure(ConfigValues values) {
    return PastePatchConfig.from(values);
  }

  @Override
  public List<String> artifactKinds(PastePatchConfig config) {
    return List.of(PATCH_KIND);
  }

  @Override
  public Image augmentImage(Image image, PastePatchConfig config, SplittableRandom rng) {
    throw new IllegalStateException("PastePatch needs its adv-patch input artifact");
  }

  @Override
  public Image augmentImage(Image image, PastePatchConfig config, SplittableRandom rng, ArtifactInputs artifacts) {
    AdvPatch patch = artifacts.load(PATCH_KIND, AdvPatch::load);
    return paste(patch, image, config, rng);
  }

  static Image paste(AdvPatch patch, Image image, PastePatchConfig config, SplittableRandom rng) {
    int side = patch.mask().side();
    if (image.height() != patch.resolution() || image.width() != patch.resolution()) {
      throw new IllegalArgumentException("the image is " + image.height() + "x" + image.width() + " but the patch was made for "
          + patch.resolution() + " px images (resize the source to the model's size)");
    }
    int row = config.randomPosition() ? rng.nextInt(image.height() - side + 1) : patch.mask().row();
    int col = config.randomPosition() ? rng.nextInt(image.width() - side + 1) : patch.mask().col();
    Image rgb = image.toRgb();
    return config.noise() ? pasteNoise(rgb, row, col, side, rng) : patch.paste(rgb, row, col);
  }

  private static Image pasteNoise(Image rgb, int row, int col, int side, SplittableRandom rng) {
    byte[] out = rgb.pixels();
    int w = rgb.width();
    for (int y = row; y < row + side; y++) {
      for (int x = col; x < col + side; x++) {
        for (int c = 0; c < 3; c++) {
          out[(y * w + x) * 3 + c] = (byte) rng.nextInt(256);
        }
      }
    }
    return Image.wrap(rgb.height(), w, 3, out);
  }
}
