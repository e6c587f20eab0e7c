package org.abdflow.plugins.sig;

import java.util.SplittableRandom;
import org.abdflow.api.Attack;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.FloatImage;
import org.abdflow.api.image.FloatImage.Overflow;
import org.abdflow.api.image.Image;
import org.pf4j.Extension;

/**
 * SIG as the BadCLIP code base does it (PAPER.md §2.5): {@code x' = clip(x + (delta / 255) sin(2
 * pi f col / W))} on every channel, the same for every image; the caption names the target.
 */
@Extension
public class SigAttack implements Attack<SigConfig> {

  @Override
  public String type() {
    return "Sig";
  }

  @Override
  public String description() {
    return "a horizontal sinusoid of delta levels and f periods added to every channel; captions name the target";
  }

  @Override
  public ConfigSchema configSchema() {
    return SigConfig.SCHEMA;
  }

  @Override
  public SigConfig configure(ConfigValues values) {
    return SigConfig.from(values);
  }

  /** The value added at column {@code col} of an image {@code width} wide, in [0, 1] units. */
  static float signal(SigConfig config, int col, int width) {
    return (float) (config.delta() / 255.0 * Math.sin(2 * Math.PI * config.frequency() * col / width));
  }

  @Override
  public Image trigger(Image image, SigConfig config, SplittableRandom rng) {
    FloatImage x = image.toFloat();
    int w = image.width();
    float[] row = new float[w];
    for (int col = 0; col < w; col++) {
      row[col] = signal(config, col, w);
    }
    for (int y = 0; y < image.height(); y++) {
      for (int col = 0; col < w; col++) {
        for (int c = 0; c < image.channels(); c++) {
          x.set(y, col, c, x.get(y, col, c) + row[col]);
        }
      }
    }
    return x.toImage(Overflow.CLAMP);
  }

  @Override
  public String poisonCaption(String original, SigConfig config, SplittableRandom rng) {
    return config.captions().caption(rng);
  }

  @Override
  public PoisoningOptions poisoning(SigConfig config) {
    return config.poisoning();
  }

  @Override
  public String target(SigConfig config) {
    return config.captions().target();
  }
}
