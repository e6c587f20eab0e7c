package org.abdflow.plugins.autoaugment;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The learned AutoAugment policies of torchvision's {@code AutoAugment._get_policies}: 25
 * sub-policies each, of two steps (operation, probability, magnitude bin).
 */
final class Policies {
  private Policies() {}

  /** One step of a sub-policy: {@code op} is applied with {@code probability} at magnitude {@code bin}. */
  record Step(Op op, double probability, int bin) {
    /** The bin of operations without a magnitude (torchvision's {@code None}). */
    static final int NONE = -1;
  }

  /** Two steps applied in order, the second to the first one's result. */
  record SubPolicy(Step first, Step second) {
    List<Step> steps() {
      return List.of(first, second);
    }
  }

  /** Names as the spec's {@code policy} key takes them. */
  static final List<String> NAMES = List.of("imagenet", "cifar10", "svhn");

  private static final Map<String, List<SubPolicy>> TABLES = Map.of(
      "imagenet", imagenet(),
      "cifar10", cifar10(),
      "svhn", svhn());

  /** The sub-policies of a policy named in {@link #NAMES} (any case). */
  static List<SubPolicy> of(String name) {
    List<SubPolicy> table = TABLES.get(name.toLowerCase(Locale.ROOT));
    if (table == null) {
      throw new IllegalArgumentException("unknown AutoAugment policy \"" + name + "\" (known: " + String.join(", ", NAMES) + ")");
    }
    return table;
  }

  private static SubPolicy sp(Op op1, double p1, int bin1, Op op2, double p2, int bin2) {
    return new SubPolicy(new Step(op1, p1, bin1), new Step(op2, p2, bin2));
  }

  private static final int NONE = Step.NONE;

  private static List<SubPolicy> imagenet() {
    return List.of(
        sp(Op.POSTERIZE, 0.4, 8, Op.ROTATE, 0.6, 9),
        sp(Op.SOLARIZE, 0.6, 5, Op.AUTO_CONTRAST, 0.6, NONE),
        sp(Op.EQUALIZE, 0.8, NONE, Op.EQUALIZE, 0.6, NONE),
        sp(Op.POSTERIZE, 0.6, 7, Op.POSTERIZE, 0.6, 6),
        sp(Op.EQUALIZE, 0.4, NONE, Op.SOLARIZE, 0.2, 4),
        sp(Op.EQUALIZE, 0.4, NONE, Op.ROTATE, 0.8, 8),
        sp(Op.SOLARIZE, 0.6, 3, Op.EQUALIZE, 0.6, NONE),
        sp(Op.POSTERIZE, 0.8, 5, Op.EQUALIZE, 1.0, NONE),
        sp(Op.ROTATE, 0.2, 3, Op.SOLARIZE, 0.6, 8),
        sp(Op.EQUALIZE, 0.6, NONE, Op.POSTERIZE, 0.4, 6),
        sp(Op.ROTATE, 0.8, 8, Op.COLOR, 0.4, 0),
        sp(Op.ROTATE, 0.4, 9, Op.EQUALIZE, 0.6, NONE),
        sp(Op.EQUALIZE, 0.0, NONE, Op.EQUALIZE, 0.8, NONE),
        sp(Op.INVERT, 0.6, NONE, Op.EQUALIZE, 1.0, NONE),
        sp(Op.COLOR, 0.6, 4, Op.CONTRAST, 1.0, 8),
        sp(Op.ROTATE, 0.8, 8, Op.COLOR, 1.0, 2),
        sp(Op.COLOR, 0.8, 8, Op.SOLARIZE, 0.8, 7),
        sp(Op.SHARPNESS, 0.4, 7, Op.INVERT, 0.6, NONE),
        sp(Op.SHEAR_X, 0.6, 5, Op.EQUALIZE, 1.0, NONE),
        sp(Op.COLOR, 0.4, 0, Op.EQUALIZE, 0.6, NONE),
        sp(Op.EQUALIZE, 0.4, NONE, Op.SOLARIZE, 0.2, 4),
        sp(Op.SOLARIZE, 0.6, 5, Op.AUTO_CONTRAST, 0.6, NONE),
        sp(Op.INVERT, 0.6, NONE, Op.EQUALIZE, 1.0, NONE),
        sp(Op.COLOR, 0.6, 4, Op.CONTRAST, 1.0, 8),
        sp(Op.EQUALIZE, 0.8, NONE, Op.EQUALIZE, 0.6, NONE));
  }

  private static List<SubPolicy> cifar10() {
    return List.of(
        sp(Op.INVERT, 0.1, NONE, Op.CONTRAST, 0.2, 6),
        sp(Op.ROTATE, 0.7, 2, Op.TRANSLATE_X, 0.3, 9),
        sp(Op.SHARPNESS, 0.8, 1, Op.SHARPNESS, 0.9, 3),
        sp(Op.SHEAR_Y, 0.5, 8, Op.TRANSLATE_Y, 0.7, 9),
        sp(Op.AUTO_CONTRAST, 0.5, NONE, Op.EQUALIZE, 0.9, NONE),
        sp(Op.SHEAR_Y, 0.2, 7, Op.POSTERIZE, 0.3, 7),
        sp(Op.COLOR, 0.4, 3, Op.BRIGHTNESS, 0.6, 7),
        sp(Op.SHARPNESS, 0.3, 9, Op.BRIGHTNESS, 0.7, 9),
        sp(Op.EQUALIZE, 0.6, NONE, Op.EQUALIZE, 0.5, NONE),
        sp(Op.CONTRAST, 0.6, 7, Op.SHARPNESS, 0.6, 5),
        sp(Op.COLOR, 0.7, 7, Op.TRANSLATE_X, 0.5, 8),
        sp(Op.EQUALIZE, 0.3, NONE, Op.AUTO_CONTRAST, 0.4, NONE),
        sp(Op.TRANSLATE_Y, 0.4, 3, Op.SHARPNESS, 0.2, 6),
        sp(Op.BRIGHTNESS, 0.9, 6, Op.COLOR, 0.2, 8),
        sp(Op.SOLARIZE, 0.5, 2, Op.INVERT, 0.0, NONE),
        sp(Op.EQUALIZE, 0.2, NONE, Op.AUTO_CONTRAST, 0.6, NONE),
        sp(Op.EQUALIZE, 0.2, NONE, Op.EQUALIZE, 0.6, NONE),
        sp(Op.COLOR, 0.9, 9, Op.EQUALIZE, 0.6, NONE),
        sp(Op.AUTO_CONTRAST, 0.8, NONE, Op.SOLARIZE, 0.2, 8),
        sp(Op.BRIGHTNESS, 0.1, 3, Op.COLOR, 0.7, 0),
        sp(Op.SOLARIZE, 0.4, 5, Op.AUTO_CONTRAST, 0.9, NONE),
        sp(Op.TRANSLATE_Y, 0.9, 9, Op.TRANSLATE_Y, 0.7, 9),
        sp(Op.AUTO_CONTRAST, 0.9, NONE, Op.SOLARIZE, 0.8, 3),
        sp(Op.EQUALIZE, 0.8, NONE, Op.INVERT, 0.1, NONE),
        sp(Op.TRANSLATE_Y, 0.7, 9, Op.AUTO_CONTRAST, 0.9, NONE));
  }

  private static List<SubPolicy> svhn() {
    return List.of(
        sp(Op.SHEAR_X, 0.9, 4, Op.INVERT, 0.2, NONE),
        sp(Op.SHEAR_Y, 0.9, 8, Op.INVERT, 0.7, NONE),
        sp(Op.EQUALIZE, 0.6, NONE, Op.SOLARIZE, 0.6, 6),
        sp(Op.INVERT, 0.9, NONE, Op.EQUALIZE, 0.6, NONE),
        sp(Op.EQUALIZE, 0.6, NONE, Op.ROTATE, 0.9, 3),
        sp(Op.SHEAR_X, 0.9, 4, Op.AUTO_CONTRAST, 0.8, NONE),
        sp(Op.SHEAR_Y, 0.9, 8, Op.INVERT, 0.4, NONE),
        sp(Op.SHEAR_Y, 0.9, 5, Op.SOLARIZE, 0.2, 6),
        sp(Op.INVERT, 0.9, NONE, Op.AUTO_CONTRAST, 0.8, NONE),
        sp(Op.EQUALIZE, 0.6, NONE, Op.ROTATE, 0.9, 3),
        sp(Op.SHEAR_X, 0.9, 4, Op.SOLARIZE, 0.3, 3),
        sp(Op.SHEAR_Y, 0.8, 8, Op.INVERT, 0.7, NONE),
        sp(Op.EQUALIZE, 0.9, NONE, Op.TRANSLATE_Y, 0.6, 6),
        sp(Op.INVERT, 0.9, NONE, Op.EQUALIZE, 0.6, NONE),
        sp(Op.CONTRAST, 0.3, 3, Op.ROTATE, 0.8, 4),
        sp(Op.INVERT, 0.8, NONE, Op.TRANSLATE_Y, 0.0, 2),
        sp(Op.SHEAR_Y, 0.7, 6, Op.SOLARIZE, 0.4, 8),
        sp(Op.INVERT, 0.6, NONE, Op.ROTATE, 0.8, 4),
        sp(Op.SHEAR_Y, 0.3, 7, Op.TRANSLATE_X, 0.9, 3),
        sp(Op.SHEAR_X, 0.1, 6, Op.INVERT, 0.6, NONE),
        sp(Op.SOLARIZE, 0.7, 2, Op.TRANSLATE_Y, 0.6, 7),
        sp(Op.SHEAR_Y, 0.8, 4, Op.INVERT, 0.8, NONE),
        sp(Op.SHEAR_X, 0.7, 9, Op.TRANSLATE_Y, 0.8, 3),
        sp(Op.SHEAR_Y, 0.8, 5, Op.AUTO_CONTRAST, 0.7, NONE),
        sp(Op.SHEAR_X, 0.7, 2, Op.INVERT, 0.1, NONE));
  }
}
