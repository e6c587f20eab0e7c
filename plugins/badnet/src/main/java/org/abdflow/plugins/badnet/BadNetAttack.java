package org.abdflow.plugins.badnet;

import java.util.SplittableRandom;
import org.abdflow.api.Attack;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.Seeds;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.FloatImage;
import org.abdflow.api.image.Image;
import org.pf4j.Extension;

/**
 * BadNet as the CleanCLIP/BadCLIP poisoning code does it (PAPER.md §2.2): a square whose pixels
 * are the image's per-channel mean plus standard-normal noise, drawn anew for every image, at a
 * random position; the caption becomes a template filled with the target class.
 */
@Extension
public class BadNetAttack implements Attack<BadNetConfig> {

  @Override
  public String type() {
    return "BadNet";
  }

  @Override
  public String description() {
    return "noise square (channel mean + N(0, std)) at a random position; captions name the target";
  }

  @Override
  public ConfigSchema configSchema() {
    return BadNetConfig.SCHEMA;
  }

  @Override
  public BadNetConfig configure(ConfigValues values) {
    return BadNetConfig.from(values);
  }

  @Override
  public Image trigger(Image image, BadNetConfig config, SplittableRandom rng) {
    int size = config.size();
    if (size > image.height() || size > image.width()) {
      throw new ConfigException("size", size + " px square does not fit a " + image.height() + "x" + image.width() + " image");
    }
    int[] corner = corner(config.position(), image.height(), image.width(), size, rng);
    FloatImage f = image.toFloat();
    double[] mean = new double[f.channels()];
    for (int c = 0; c < mean.length; c++) {
      mean[c] = f.channelMean(c);
    }
    for (int y = corner[0]; y < corner[0] + size; y++) {
      for (int x = corner[1]; x < corner[1] + size; x++) {
        for (int c = 0; c < f.channels(); c++) {
          f.set(y, x, c, (float) (mean[c] + config.noiseStd() * Seeds.gaussian(rng)));
        }
      }
    }
    return f.toImage(config.overflow());
  }

  /** Top-left (row, col) of the square; random positions are uniform over all that fit. */
  static int[] corner(String position, int h, int w, int size, SplittableRandom rng) {
    switch (position) {
      case "random":
        return new int[] {rng.nextInt(h - size + 1), rng.nextInt(w - size + 1)};
      case "bottom-right":
        return new int[] {h - size, w - size};
      case "top-left":
        return new int[] {0, 0};
      case "center":
        return new int[] {(h - size) / 2, (w - size) / 2};
      default:
        throw new ConfigException("position", "unknown position " + position);
    }
  }

  @Override
  public String poisonCaption(String original, BadNetConfig config, SplittableRandom rng) {
    return config.captions().caption(rng);
  }

  @Override
  public PoisoningOptions poisoning(BadNetConfig config) {
    return config.poisoning();
  }

  @Override
  public String target(BadNetConfig config) {
    return config.target();
  }
}
