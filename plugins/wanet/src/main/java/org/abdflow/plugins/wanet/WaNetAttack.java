package org.abdflow.plugins.wanet;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.abdflow.api.Attack;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.Image;
import org.pf4j.Extension;

/**
 * WaNet as the BadCLIP code base does it (PAPER.md §2.5): every image resampled through one fixed,
 * smooth warp ({@link WarpGrid}) with bilinear {@code grid_sample} (align_corners, zeros outside);
 * the caption names the target. Values are interpolated in 8-bit levels and rounded, so at
 * strength 0 the trigger is exactly the identity.
 */
@Extension
public class WaNetAttack implements Attack<WaNetConfig> {
  // one grid per (config, image size), built once per worker
  private final Map<String, WarpGrid> grids = new ConcurrentHashMap<>();

  @Override
  public String type() {
    return "WaNet";
  }

  @Override
  public String description() {
    return "a fixed smooth warp of the image from a random control grid (grid_sample); captions name the target";
  }

  @Override
  public ConfigSchema configSchema() {
    return WaNetConfig.SCHEMA;
  }

  @Override
  public WaNetConfig configure(ConfigValues values) {
    return WaNetConfig.from(values);
  }

  WarpGrid grid(WaNetConfig config, int height, int width) {
    return grids.computeIfAbsent(config + "@" + height + "x" + width, k -> WarpGrid.build(config, height, width));
  }

  @Override
  public Image trigger(Image image, WaNetConfig config, SplittableRandom rng) {
    int h = image.height();
    int w = image.width();
    int ch = image.channels();
    WarpGrid g = grid(config, h, w);
    byte[] out = new byte[h * w * ch];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double ix = (g.grid[(y * w + x) * 2] + 1) / 2 * (w - 1);
        double iy = (g.grid[(y * w + x) * 2 + 1] + 1) / 2 * (h - 1);
        int x0 = (int) Math.floor(ix);
        int y0 = (int) Math.floor(iy);
        double fx = ix - x0;
        double fy = iy - y0;
        for (int c = 0; c < ch; c++) {
          double v = (1 - fy) * ((1 - fx) * at(image, y0, x0, c) + fx * at(image, y0, x0 + 1, c))
              + fy * ((1 - fx) * at(image, y0 + 1, x0, c) + fx * at(image, y0 + 1, x0 + 1, c));
          out[(y * w + x) * ch + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    return Image.wrap(h, w, ch, out);
  }

  /** Zeros padding, as grid_sample's default. */
  private static double at(Image image, int y, int x, int c) {
    return y < 0 || x < 0 || y >= image.height() || x >= image.width() ? 0 : image.get(y, x, c);
  }

  @Override
  public String poisonCaption(String original, WaNetConfig config, SplittableRandom rng) {
    return config.captions().caption(rng);
  }

  @Override
  public PoisoningOptions poisoning(WaNetConfig config) {
    return config.poisoning();
  }

  @Override
  public String target(WaNetConfig config) {
    return config.captions().target();
  }
}
