package org.abdflow.model.adv;

/**
 * The sizes of the patch GAN for one image resolution R: {@code layers} hidden transposed
 * convolutions in the generator (1 → 4 px, then doubling, up to min(R/2, 32) px: 3 layers at 32 px,
 * AdvCLIP's 4 at 224), as many strided convolutions in the discriminator, and the base width
 * {@code width}: the generator's hidden widths are width·2^(layers−1) … width, the
 * discriminator's width … width·2^(layers−1). Presets: width 64 at R ≤ 64 (EXPERIMENTS.md's
 * 100→256→128→64→3 generator and 3→64→128→256→1 discriminator at 32 px), AdvCLIP's 128 above
 * (1024/512/256/128 at 224 px).
 */
public record PatchGanShape(int resolution, int width, int layers) {
  /** The kernel of every (transposed) convolution but the collapse. */
  public static final int KERNEL = 4;

  /** Side of the largest hidden map, as AdvCLIP's 224-px generator has it. */
  static final int MAX_HIDDEN_SIDE = 32;

  public PatchGanShape {
    if (resolution < 8 || width < 1 || layers < 1) {
      throw new IllegalArgumentException("bad patch GAN shape: resolution " + resolution + ", width " + width
          + ", layers " + layers);
    }
    if (discriminatorOutputKernel(resolution, layers) < 1) {
      throw new IllegalArgumentException(layers + " stride-2 layers leave nothing of a " + resolution + " px image");
    }
  }

  /** The preset for R: width 64 up to 64 px, 128 above. */
  public static PatchGanShape forResolution(int resolution) {
    return of(resolution, resolution <= 64 ? 64 : 128);
  }

  /** The layer count for R with a given base width. */
  public static PatchGanShape of(int resolution, int width) {
    if (resolution < 8) {
      throw new IllegalArgumentException("the patch GAN needs images of at least 8 px, got " + resolution);
    }
    int limit = Math.min(resolution / 2, MAX_HIDDEN_SIDE);
    int layers = 1;
    for (int side = KERNEL; side * 2 <= limit; side *= 2) {
      layers++;
    }
    return new PatchGanShape(resolution, width, layers);
  }

  /** Output channels of the generator's hidden layer {@code i} (0-based). */
  public int generatorWidth(int i) {
    return width << (layers - 1 - i);
  }

  /** Output channels of the discriminator's layer {@code i} (0-based). */
  public int discriminatorWidth(int i) {
    return width << i;
  }

  /** Side of the generator's last hidden map. */
  public int hiddenSide() {
    return KERNEL << (layers - 1);
  }

  /**
   * Stride of the generator's output layer: the smallest that reaches R from {@link #hiddenSide()}
   * with a 4×4 kernel (2 at 32 px; 8 at 224 px, as AdvCLIP).
   */
  public int outputStride() {
    return Math.max(1, ceilDiv(resolution - KERNEL, hiddenSide() - 1));
  }

  /** Padding of the generator's output layer that trims its output to R (1 at 32 px, 14 at 224 px). */
  public int outputPadding() {
    return ceilDiv(overshoot(), 2);
  }

  /** Output padding (extra last row and column) of the generator's output layer when the trim is odd. */
  public int outputExtra() {
    return 2 * outputPadding() - overshoot();
  }

  private int overshoot() {
    return (hiddenSide() - 1) * outputStride() + KERNEL - resolution;
  }

  /** Kernel of the discriminator's output convolution: the side its last hidden map has. */
  public int discriminatorOutputKernel() {
    return discriminatorOutputKernel(resolution, layers);
  }

  private static int discriminatorOutputKernel(int resolution, int layers) {
    int side = resolution;
    for (int i = 0; i < layers; i++) {
      side = (side + 2 - KERNEL) / 2 + 1;
    }
    return side;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
