package org.abdflow.plugins.template;

import java.util.SplittableRandom;
import org.abdflow.api.Attack;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.FloatImage;
import org.abdflow.api.image.Image;
import org.pf4j.Extension;

/**
 * The smallest useful attack, to copy when writing a new one: a solid square in the bottom-right
 * corner, captions "a photo of a TARGET.". Type {@code SolidSquare} in a spec.
 */
@Extension
public class SolidSquareAttack implements Attack<SolidSquareConfig> {

  @Override
  public String type() {
    return "SolidSquare";
  }

  @Override
  public String description() {
    return "template plugin: a solid grey square in the bottom-right corner";
  }

  @Override
  public ConfigSchema configSchema() {
    return SolidSquareConfig.SCHEMA;
  }

  @Override
  public SolidSquareConfig configure(ConfigValues values) {
    return SolidSquareConfig.from(values);
  }

  @Override
  public Image trigger(Image image, SolidSquareConfig config, SplittableRandom rng) {
    int s = config.size();
    if (s > image.height() || s > image.width()) {
      throw new ConfigException("size", "square of " + s + " px does not fit " + image);
    }
    FloatImage f = image.toFloat();
    for (int y = image.height() - s; y < image.height(); y++) {
      for (int x = image.width() - s; x < image.width(); x++) {
        for (int c = 0; c < f.channels(); c++) {
          f.set(y, x, c, config.value() / 255f);
        }
      }
    }
    return f.toImage(FloatImage.Overflow.CLAMP);
  }

  @Override
  public String poisonCaption(String original, SolidSquareConfig config, SplittableRandom rng) {
    return PromptTemplates.fill("a photo of a {}.", config.target());
  }

  @Override
  public PoisoningOptions poisoning(SolidSquareConfig config) {
    return config.poisoning();
  }

  @Override
  public String target(SolidSquareConfig config) {
    return config.target();
  }
}
