package org.abdflow.model.adv;

import com.google.auto.value.AutoValue;
import java.io.Serializable;

/**
 * The recipe of ABD's Stage A (PAPER.md §1.3.4–1.3.5): AdvCLIP's generator objective {@code L_GAN +
 * α·L_adv + L_rec + δ·L_topo} plus ABD's backdoor loss {@code ∓ μ·L_bd}, Adam for the generator
 * and the discriminator, weight clipping of the discriminator, brightness augmentation of the clean
 * images. {@link #builder()} has the paper's values; {@link #demoBuilder()} EXPERIMENTS.md's 32-px
 * adaptation (6×6 patch, batch 64, 10 epochs). The margin defaults to AdvCLIP's 14 px at 224 scaled
 * to the resolution (2 px at 32).
 */
@AutoValue
public abstract class AdvPatchOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** AdvCLIP's margin at 224 px, which {@link #margin()} = −1 scales to the resolution. */
  static final int ADVCLIP_MARGIN = 14;

  static final int ADVCLIP_RESOLUTION = 224;

  /** How L_bd enters the generator's objective (the paper leaves the sign open, §1.3.4). */
  public enum BdSign {
    /** Reconstruction A: the generator adds −μ·L_bd, pushing E_p(x_adv) away from E_o(x_adv). */
    SEPARATE(-1),
    /** Reconstruction B: the generator adds +μ·L_bd, aligning the two. */
    ALIGN(1),
    /** No L_bd in the objective (Table III's "UAP without L_bd"); it is still measured and reported. */
    OFF(0);

    private final int sign;

    BdSign(int sign) {
      this.sign = sign;
    }

    /** −1, +1 or 0: the factor of μ·L_bd in the objective. */
    public int sign() {
      return sign;
    }
  }

  /** Which image encoder plays f in L_adv and L_topo; E_T is the text tower of the same model. */
  public enum AdvEncoder {
    /** The clean encoder E_o (Fig. 1; the default). */
    ORIGIN,
    /** The poisoned encoder E_p. */
    POISONED
  }

  /** The range P is clamped to. */
  public enum ClampMode {
    /** AdvCLIP's [−2.1179, 2.6400] on every channel (from ImageNet statistics). */
    ADVCLIP,
    /** The per-channel image of [0, 1] under the model's own normalisation. */
    CLIP
  }

  public abstract double alpha();

  public abstract double beta();

  public abstract double gamma();

  public abstract double delta();

  /** Weight of L_bd. */
  public abstract double mu();

  public abstract BdSign bdSign();

  public abstract AdvEncoder advEncoder();

  /** InfoNCE temperature. */
  public abstract double tau();

  public abstract int epochs();

  /** Images per step, and the size of the fixed noise batch (AdvCLIP ties them). */
  public abstract int batchSize();

  public abstract double learningRate();

  public abstract double beta1();

  public abstract double beta2();

  /** Every discriminator parameter is clipped to [−dClip, dClip] after each of its updates. */
  public abstract double dClip();

  /** Brightness factors are drawn uniformly from [min, max] per image and epoch, in [0, 1] pixel space. */
  public abstract double brightnessMin();

  public abstract double brightnessMax();

  public abstract ClampMode clampMode();

  /** Patch side in pixels; 0 takes floor(√(patchFraction·R²)). */
  public abstract int patchSide();

  public abstract double patchFraction();

  /** Distance of the bottom-right patch from the bottom and right edges; −1 scales AdvCLIP's 14 px at 224. */
  public abstract int margin();

  /** Top row of the patch; −1 places it bottom-right with {@link #margin()}. */
  public abstract int patchRow();

  /** Left column of the patch; −1 places it bottom-right with {@link #margin()}. */
  public abstract int patchCol();

  /** Base width of the GAN; 0 takes {@link PatchGanShape#forResolution}'s. */
  public abstract int networkWidth();

  /** Seed of the networks' weights, the noise, the batch order and the brightness draws. */
  public abstract long seed();

  public abstract Builder toBuilder();

  /** PAPER.md's values (AdvCLIP's defaults, μ = α, reconstruction A, f = E_o, AdvCLIP's seed 100). */
  public static Builder builder() {
    return new AutoValue_AdvPatchOptions.Builder()
        .setAlpha(10)
        .setBeta(5)
        .setGamma(5)
        .setDelta(1)
        .setMu(10)
        .setBdSign(BdSign.SEPARATE)
        .setAdvEncoder(AdvEncoder.ORIGIN)
        .setTau(0.1)
        .setEpochs(20)
        .setBatchSize(16)
        .setLearningRate(2e-4)
        .setBeta1(0.5)
        .setBeta2(0.999)
        .setDClip(0.01)
        .setBrightnessMin(1.0)
        .setBrightnessMax(1.5)
        .setClampMode(ClampMode.ADVCLIP)
        .setPatchSide(0)
        .setPatchFraction(0.03)
        .setMargin(-1)
        .setPatchRow(-1)
        .setPatchCol(-1)
        .setNetworkWidth(0)
        .setSeed(100);
  }

  /** EXPERIMENTS.md's 32-px demo: the paper's values with a 6×6 patch, batch 64 and 10 epochs. */
  public static Builder demoBuilder() {
    return builder().setPatchSide(6).setBatchSize(64).setEpochs(10);
  }

  /** The patch region for images of side {@code resolution}. */
  public PatchMask mask(int resolution) {
    int side = patchSide() > 0 ? patchSide() : PatchMask.sideForFraction(resolution, patchFraction());
    if (patchRow() >= 0) {
      return new PatchMask(resolution, patchRow(), patchCol(), side);
    }
    int m = margin() >= 0 ? margin() : (int) Math.round((double) ADVCLIP_MARGIN * resolution / ADVCLIP_RESOLUTION);
    return PatchMask.bottomRight(resolution, side, m);
  }

  /** The GAN's sizes for images of side {@code resolution}. */
  public PatchGanShape ganShape(int resolution) {
    return networkWidth() > 0 ? PatchGanShape.of(resolution, networkWidth()) : PatchGanShape.forResolution(resolution);
  }

  /** Builds {@link AdvPatchOptions}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setAlpha(double v);

    public abstract Builder setBeta(double v);

    public abstract Builder setGamma(double v);

    public abstract Builder setDelta(double v);

    public abstract Builder setMu(double v);

    public abstract Builder setBdSign(BdSign v);

    public abstract Builder setAdvEncoder(AdvEncoder v);

    public abstract Builder setTau(double v);

    public abstract Builder setEpochs(int v);

    public abstract Builder setBatchSize(int v);

    public abstract Builder setLearningRate(double v);

    public abstract Builder setBeta1(double v);

    public abstract Builder setBeta2(double v);

    public abstract Builder setDClip(double v);

    public abstract Builder setBrightnessMin(double v);

    public abstract Builder setBrightnessMax(double v);

    public abstract Builder setClampMode(ClampMode v);

    public abstract Builder setPatchSide(int v);

    public abstract Builder setPatchFraction(double v);

    public abstract Builder setMargin(int v);

    public abstract Builder setPatchRow(int v);

    public abstract Builder setPatchCol(int v);

    public abstract Builder setNetworkWidth(int v);

    public abstract Builder setSeed(long v);

    abstract AdvPatchOptions autoBuild();

    /** Checks every value; a failure names the property (as its getter) and the rule it breaks. */
    public AdvPatchOptions build() {
      AdvPatchOptions o = autoBuild();
      require(o.alpha() >= 0, "alpha", o.alpha(), ">= 0");
      require(o.beta() >= 0, "beta", o.beta(), ">= 0");
      require(o.gamma() >= 0, "gamma", o.gamma(), ">= 0");
      require(o.delta() >= 0, "delta", o.delta(), ">= 0");
      require(o.mu() >= 0, "mu", o.mu(), ">= 0");
      require(o.tau() > 0, "tau", o.tau(), "> 0");
      require(o.epochs() >= 0, "epochs", o.epochs(), ">= 0");
      require(o.batchSize() >= 2, "batchSize", o.batchSize(), ">= 2 (InfoNCE needs negatives)");
      require(o.learningRate() >= 0, "learningRate", o.learningRate(), ">= 0");
      require(o.beta1() >= 0 && o.beta1() < 1, "beta1", o.beta1(), "in [0, 1)");
      require(o.beta2() >= 0 && o.beta2() < 1, "beta2", o.beta2(), "in [0, 1)");
      require(o.dClip() > 0, "dClip", o.dClip(), "> 0");
      require(o.brightnessMin() > 0, "brightnessMin", o.brightnessMin(), "> 0");
      require(o.brightnessMax() >= o.brightnessMin(), "brightnessMax", o.brightnessMax(),
          ">= brightnessMin (" + o.brightnessMin() + ")");
      require(o.patchSide() >= 0, "patchSide", o.patchSide(), ">= 0 (0: from patchFraction)");
      require(o.patchFraction() > 0 && o.patchFraction() <= 1, "patchFraction", o.patchFraction(), "in (0, 1]");
      require(o.margin() >= -1, "margin", o.margin(), ">= 0, or -1 for AdvCLIP's, scaled");
      require(o.patchRow() >= -1, "patchRow", o.patchRow(), ">= 0, or -1 for bottom-right");
      require(o.patchCol() >= -1, "patchCol", o.patchCol(), ">= 0, or -1 for bottom-right");
      require((o.patchRow() < 0) == (o.patchCol() < 0), "patchCol", o.patchCol(),
          "given together with patchRow (" + o.patchRow() + ")");
      require(o.networkWidth() >= 0, "networkWidth", o.networkWidth(), ">= 0 (0: by resolution)");
      return o;
    }

    private static void require(boolean ok, String property, Object value, String rule) {
      if (!ok) {
        throw new IllegalArgumentException("bad patch options: " + property + " = " + value + ", must be " + rule);
      }
    }
  }
}
