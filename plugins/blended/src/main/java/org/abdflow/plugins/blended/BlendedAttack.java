package org.abdflow.plugins.blended;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.abdflow.api.Attack;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.FloatImage;
import org.abdflow.api.image.FloatImage.Overflow;
import org.abdflow.api.image.Image;
import org.abdflow.api.image.ImageFiles;
import org.abdflow.api.image.Resize;
import org.pf4j.Extension;

/**
 * Blended as the CleanCLIP/BadCLIP poisoning code does it (PAPER.md §2.3): {@code x' = alpha *
 * noise + (1 - alpha) * x} over the whole image, clipped to [0, 1], with uniform noise U[0, 1)
 * drawn anew for every image (the default, [I] for ABD) or a fixed trigger image resized to the
 * image. Noise has the image's channels, so a grey image stays grey [I].
 */
@Extension
public class BlendedAttack implements Attack<BlendedConfig> {
  // trigger images by path and size, read once per worker
  private final Map<String, Image> triggers = new ConcurrentHashMap<>();

  @Override
  public String type() {
    return "Blended";
  }

  @Override
  public String description() {
    return "uniform noise (per image) or a given image blended into the whole image at alpha; captions name the target";
  }

  @Override
  public ConfigSchema configSchema() {
    return BlendedConfig.SCHEMA;
  }

  @Override
  public BlendedConfig configure(ConfigValues values) {
    BlendedConfig c = BlendedConfig.from(values);
    if (c.image() != null && !java.nio.file.Files.isRegularFile(Path.of(c.image()))) {
      throw new ConfigException("image", "no such file: " + c.image());
    }
    return c;
  }

  @Override
  public Image trigger(Image image, BlendedConfig config, SplittableRandom rng) {
    FloatImage x = image.toFloat();
    FloatImage trigger = config.image() == null ? null : triggerImage(config.image(), image).toFloat();
    float a = (float) config.alpha();
    float[] d = x.data();
    float[] t = trigger == null ? null : trigger.data();
    for (int i = 0; i < d.length; i++) {
      float n = t == null ? (float) rng.nextDouble() : t[i];
      d[i] = a * n + (1 - a) * d[i];
    }
    return x.toImage(Overflow.CLAMP);
  }

  private Image triggerImage(String path, Image like) {
    return triggers.computeIfAbsent(path + "@" + like.height() + "x" + like.width() + "x" + like.channels(), k -> {
      try {
        Image rgb = Resize.bilinear(ImageFiles.read(Path.of(path)), like.height(), like.width());
        return like.channels() == 3 ? rgb : grey(rgb);
      } catch (IOException e) {
        throw new UncheckedIOException("Blended: cannot read the trigger image " + path, e);
      }
    });
  }

  /** ITU-R 601 luma, as PIL's convert("L") computes it. */
  private static Image grey(Image rgb) {
    byte[] out = new byte[rgb.height() * rgb.width()];
    for (int y = 0; y < rgb.height(); y++) {
      for (int x = 0; x < rgb.width(); x++) {
        double l = (299 * rgb.get(y, x, 0) + 587 * rgb.get(y, x, 1) + 114 * rgb.get(y, x, 2)) / 1000.0;
        out[y * rgb.width() + x] = (byte) Math.round(l);
      }
    }
    return Image.wrap(rgb.height(), rgb.width(), 1, out);
  }

  @Override
  public String poisonCaption(String original, BlendedConfig config, SplittableRandom rng) {
    return config.captions().caption(rng);
  }

  @Override
  public PoisoningOptions poisoning(BlendedConfig config) {
    return config.poisoning();
  }

  @Override
  public String target(BlendedConfig config) {
    return config.captions().target();
  }
}
