package org.abdflow.plugins.autoaugment;

import java.util.List;
import java.util.SplittableRandom;
import org.abdflow.api.image.Image;
import org.abdflow.plugins.autoaugment.Policies.Step;
import org.abdflow.plugins.autoaugment.Policies.SubPolicy;

/**
 * One AutoAugment draw as torchvision's {@code AutoAugment.forward} makes it: a sub-policy chosen
 * uniformly, then each of its two steps applied when a uniform draw is at most its probability,
 * with the sign of a signed magnitude flipped on a fair coin.
 */
final class AutoAugment {
  private AutoAugment() {}

  /**
   * The augmented image, or {@code image} itself when no step fired. Always takes the same five
   * draws from {@code rng} (sub-policy, two probabilities, two signs), like torchvision's
   * {@code get_params}, so the stream's use does not depend on the image.
   */
  static Image apply(Image image, List<SubPolicy> policy, SplittableRandom rng) {
    SubPolicy chosen = policy.get(rng.nextInt(policy.size()));
    double u0 = rng.nextDouble();
    double u1 = rng.nextDouble();
    boolean negative0 = rng.nextBoolean();
    boolean negative1 = rng.nextBoolean();

    int h = image.height();
    int w = image.width();
    int c = image.channels();
    byte[] current = image.unsafeBytes(); // only ever read
    byte[] a = null;
    byte[] b = null;
    List<Step> steps = chosen.steps();
    double[] draws = {u0, u1};
    boolean[] negative = {negative0, negative1};
    for (int i = 0; i < 2; i++) {
      Step step = steps.get(i);
      if (!(draws[i] <= step.probability())) {
        continue;
      }
      double magnitude = step.bin() == Step.NONE ? 0.0 : step.op().magnitude(step.bin(), h, w);
      if (step.op().signed() && negative[i]) {
        magnitude = -magnitude;
      }
      // two buffers at most, taking turns, since the geometric ops cannot work in place
      byte[] target;
      if (current == a) {
        target = b == null ? (b = new byte[current.length]) : b;
      } else {
        target = a == null ? (a = new byte[current.length]) : a;
      }
      step.op().apply(current, target, h, w, c, magnitude);
      current = target;
    }
    return current == image.unsafeBytes() ? image : Image.wrap(h, w, c, current);
  }
}
