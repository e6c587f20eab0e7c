package org.abdflow.plugins.autoaugment;

/**
 * The AutoAugment operations with torchvision's 10-bin magnitude tables
 * ({@code _augmentation_space(10, image_size)}) and how each is applied to an 8-bit image.
 */
enum Op {
  SHEAR_X("ShearX", true) {
    @Override
    double magnitude(int bin, int height, int width) {
      return linspace(0f, 0.3f, bin);
    }

    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      AffineOps.shearX(src, dst, h, w, c, m);
    }
  },
  SHEAR_Y("ShearY", true) {
    @Override
    double magnitude(int bin, int height, int width) {
      return linspace(0f, 0.3f, bin);
    }

    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      AffineOps.shearY(src, dst, h, w, c, m);
    }
  },
  TRANSLATE_X("TranslateX", true) {
    @Override
    double magnitude(int bin, int height, int width) {
      return linspace(0f, (float) (150.0 / 331.0 * width), bin);
    }

    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      // int() of the signed magnitude: truncation toward zero, as Java's cast
      AffineOps.translate(src, dst, h, w, c, (int) m, 0);
    }
  },
  TRANSLATE_Y("TranslateY", true) {
    @Override
    double magnitude(int bin, int height, int width) {
      return linspace(0f, (float) (150.0 / 331.0 * height), bin);
    }

    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      AffineOps.translate(src, dst, h, w, c, 0, (int) m);
    }
  },
  ROTATE("Rotate", true) {
    @Override
    double magnitude(int bin, int height, int width) {
      return linspace(0f, 30f, bin);
    }

    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      AffineOps.rotate(src, dst, h, w, c, m);
    }
  },
  BRIGHTNESS("Brightness", true) {
    @Override
    double magnitude(int bin, int height, int width) {
      return linspace(0f, 0.9f, bin);
    }

    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      ImageOps.brightness(src, dst, 1.0 + m);
    }
  },
  COLOR("Color", true) {
    @Override
    double magnitude(int bin, int height, int width) {
      return linspace(0f, 0.9f, bin);
    }

    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      ImageOps.saturation(src, dst, c, 1.0 + m);
    }
  },
  CONTRAST("Contrast", true) {
    @Override
    double magnitude(int bin, int height, int width) {
      return linspace(0f, 0.9f, bin);
    }

    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      ImageOps.contrast(src, dst, c, 1.0 + m);
    }
  },
  SHARPNESS("Sharpness", true) {
    @Override
    double magnitude(int bin, int height, int width) {
      return linspace(0f, 0.9f, bin);
    }

    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      ImageOps.sharpness(src, dst, h, w, c, 1.0 + m);
    }
  },
  POSTERIZE("Posterize", false) {
    @Override
    double magnitude(int bin, int height, int width) {
      // 8 - round(arange(10) / 2.25): the quotient is float32 and round() goes half to even
      return 8 - Math.rint((float) bin / 2.25f);
    }

    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      ImageOps.posterize(src, dst, (int) m);
    }
  },
  SOLARIZE("Solarize", false) {
    @Override
    double magnitude(int bin, int height, int width) {
      return linspace(255f, 0f, bin);
    }

    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      // the comparison with the uint8 image happens in float32
      ImageOps.solarize(src, dst, (float) m);
    }
  },
  AUTO_CONTRAST("AutoContrast", false) {
    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      ImageOps.autoContrast(src, dst, c);
    }
  },
  EQUALIZE("Equalize", false) {
    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      ImageOps.equalize(src, dst, c);
    }
  },
  INVERT("Invert", false) {
    @Override
    void apply(byte[] src, byte[] dst, int h, int w, int c, double m) {
      ImageOps.invert(src, dst);
    }
  };

  /** The number of magnitude bins of AutoAugment's search space. */
  static final int BINS = 10;

  private final String torchName;
  private final boolean signed;

  Op(String torchName, boolean signed) {
    this.torchName = torchName;
    this.signed = signed;
  }

  /** The operation's name in torchvision's policy tables. */
  String torchName() {
    return torchName;
  }

  /** Whether AutoAugment flips the magnitude's sign with probability 1/2. */
  boolean signed() {
    return signed;
  }

  /** The unsigned magnitude of {@code bin} (0..9) for an image of this size; 0 for ops without one. */
  double magnitude(int bin, int height, int width) {
    return 0.0;
  }

  /** Writes the operation on {@code src} (h x w x c, channels last) into {@code dst}; src is only read. */
  abstract void apply(byte[] src, byte[] dst, int h, int w, int c, double magnitude);

  /**
   * Element {@code i} of {@code torch.linspace(start, end, 10)} in float32, computed the way ATen's
   * CPU kernel does (from the start in the first half, from the end in the second) so that
   * thresholds such as Solarize's 170 and 85 and the int() of translations come out the same.
   */
  static float linspace(float start, float end, int i) {
    float step = (end - start) / (BINS - 1);
    return i < BINS / 2 ? start + step * i : end - step * (BINS - i - 1);
  }
}
