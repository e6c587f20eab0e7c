package org.abdflow.plugins.autoaugment;

import java.util.SplittableRandom;
import org.abdflow.api.Augmenter;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.Image;
import org.pf4j.Extension;

/**
 * AutoAugment of the image view as CleanCLIP makes it, torchvision's
 * {@code transforms.AutoAugment(AutoAugmentPolicy.IMAGENET)}: one of the policy's 25 sub-policies,
 * drawn per image, whose two operations (shear, translate, rotate, colour, contrast, sharpness,
 * posterize, solarize, autocontrast, equalize, invert) each fire with their own probability.
 * Captions pass unchanged.
 */
@Extension
public class AutoAugmentAugmenter implements Augmenter<AutoAugmentConfig> {

  @Override
  public String type() {
    return "AutoAugment";
  }

  @Override
  public String description() {
    return "AutoAugment of images with torchvision's learned ImageNet policy (or cifar10, svhn), as CleanCLIP";
  }

  @Override
  public ConfigSchema configSchema() {
    return AutoAugmentConfig.SCHEMA;
  }

  @Override
  public AutoAugmentConfig configure(ConfigValues values) {
    return AutoAugmentConfig.from(values);
  }

  /**
   * The image after one AutoAugment draw, of the same shape; {@code image} itself when the
   * {@code probability} draw or every step of the drawn sub-policy leaves it alone.
   */
  @Override
  public Image augmentImage(Image image, AutoAugmentConfig config, SplittableRandom rng) {
    if (config.probability() < 1.0 && !(rng.nextDouble() < config.probability())) {
      return image;
    }
    return AutoAugment.apply(image, config.subPolicies(), rng);
  }
}
