package org.abdflow.model.bench;

import java.util.Random;
import org.abdflow.api.image.FloatImage;
import org.abdflow.api.image.Image;

/**
 * The BadNet trigger of the demo (EXPERIMENTS.md): a size×size patch of the image's mean plus
 * N(0, 1) noise, clamped to [0, 1], at a random position. A stand-in for the attack plugin, so the
 * model module can check a backdoor end to end.
 */
final class BadNetPatch {
  private final int size;

  BadNetPatch(int size) {
    this.size = size;
  }

  Image apply(Image image, Random rnd) {
    FloatImage f = image.toFloat();
    int y0 = rnd.nextInt(f.height() - size + 1);
    int x0 = rnd.nextInt(f.width() - size + 1);
    for (int c = 0; c < f.channels(); c++) {
      double mean = f.channelMean(c);
      for (int y = y0; y < y0 + size; y++) {
        for (int x = x0; x < x0 + size; x++) {
          f.set(y, x, c, (float) (mean + rnd.nextGaussian()));
        }
      }
    }
    return f.toImage(FloatImage.Overflow.CLAMP);
  }
}
