package org.abdflow.plugins.advclip;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.model.adv.AdvPatchOptions;
import org.abdflow.model.adv.AdvPatchOptions.AdvEncoder;
import org.abdflow.model.adv.AdvPatchOptions.BdSign;
import org.abdflow.model.adv.AdvPatchOptions.ClampMode;

/**
 * Config of the {@code AdvClipPatch} stage: AdvCLIP's generator objective plus ABD's backdoor loss
 * (PAPER.md §1.3). Defaults are the paper's (AdvCLIP's) values; the reconstructed choices ([I]/[U]
 * in PAPER.md: the sign and weight of L_bd, the encoder of the AdvCLIP terms, the brightness
 * range, the clamp) are keys.
 */
public final class AdvClipPatchConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addDouble("alpha", 10, 0.0, null, "weight of L_adv (AdvCLIP: 10)")
          .addDouble("beta", 5, 0.0, null, "weight of the image-text InfoNCE inside L_adv (AdvCLIP: 5)")
          .addDouble("gamma", 5, 0.0, null, "weight of the image-text divergence inside L_topo (AdvCLIP: 5)")
          .addDouble("delta", 1, 0.0, null, "weight of L_topo (AdvCLIP: 1)")
          .addDouble("mu", 10, 0.0, null, "weight of ABD's backdoor loss L_bd [U; default = alpha]")
          .addEnum("bdSign", "separate", List.of("separate", "align", "off"),
              "L_bd in the generator objective: separate = -mu*L_bd (reconstruction A, default), align = +mu*L_bd (B), off = AdvCLIP's patch without L_bd")
          .addEnum("advEncoder", "origin", List.of("origin", "poisoned"),
              "image encoder of the AdvCLIP terms: the origin (clean) model, as Fig. 1 draws it, or the poisoned one [U]")
          .addDouble("tau", 0.1, 1e-6, null, "InfoNCE temperature (AdvCLIP: 0.1)")
          .addInt("epochs", 20, 1, 100_000, "passes over the input records (AdvCLIP: 20)")
          .addInt("batchSize", 16, 2, 1 << 20, "images per step (AdvCLIP: 16)")
          .addDouble("lr", 2e-4, 0.0, 1.0, "Adam learning rate of G and D (AdvCLIP: 2e-4)")
          .addDouble("beta1", 0.5, 0.0, 0.999999, "Adam beta1 (AdvCLIP: 0.5)")
          .addDouble("beta2", 0.999, 0.0, 0.999999, "Adam beta2")
          .addDouble("dClip", 0.01, 0.0, null, "clip every discriminator weight to +-dClip after each D step")
          .addDouble("brightnessMin", 1.0, 0.0, null, "lower end of the brightness factor of the clean images [U]")
          .addDouble("brightnessMax", 1.5, 0.0, null, "upper end of the brightness factor [U]")
          .addEnum("clamp", "advclip", List.of("advclip", "clip"),
              "bounds of the perturbation: AdvCLIP's ImageNet-normalised [-2.1179, 2.6400], or CLIP's per-channel range")
          .addInt("patchSide", 0, 0, 4096, "side of the square patch in pixels; 0 = from patchFraction")
          .addDouble("patchFraction", 0.03, 1e-6, 1.0, "patch area as a fraction of the image (AdvCLIP: 0.03, 38 px at 224)")
          .addInt("margin", -1, -1, 4096, "distance of the bottom-right patch from the border; -1 = AdvCLIP's 14 px scaled to the image")
          .addInt("networkWidth", 0, 0, 1 << 16, "base width of G and D; 0 = the preset for the model's resolution")
          .build();

  /** AdvPatchOptions' property names (as its messages use them) where they differ from the keys. */
  private static final java.util.Map<String, String> PROPERTY_TO_KEY = propertyToKey();

  private static java.util.Map<String, String> propertyToKey() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (org.abdflow.api.config.ConfigKey k : SCHEMA.keys()) {
      m.put(k.name(), k.name());
    }
    m.put("learningRate", "lr");
    m.put("clampMode", "clamp");
    return m;
  }

  private final AdvPatchOptions options;

  /** The generator's options; the seed is set per run. */
  public AdvPatchOptions options() {
    return options;
  }

  private AdvClipPatchConfig(AdvPatchOptions options) {
    this.options = options;
  }

  /** The options for a run of this stage; the seed comes from the run. */
  static AdvClipPatchConfig from(ConfigValues v) {
    try {
      return build(v);
    } catch (IllegalArgumentException e) {
      // the options' own checks (e.g. brightnessMin > brightnessMax): name the key they mention
      String message = String.valueOf(e.getMessage());
      String key = PROPERTY_TO_KEY.entrySet().stream()
          .filter(p -> message.contains("options: " + p.getKey() + " ="))
          .map(java.util.Map.Entry::getValue).findFirst().orElse("epochs");
      throw new org.abdflow.api.config.ConfigException(key, e.getMessage());
    }
  }

  private static AdvClipPatchConfig build(ConfigValues v) {
    AdvPatchOptions o =
        AdvPatchOptions.builder()
            .setAlpha(v.getDouble("alpha"))
            .setBeta(v.getDouble("beta"))
            .setGamma(v.getDouble("gamma"))
            .setDelta(v.getDouble("delta"))
            .setMu(v.getDouble("mu"))
            .setBdSign(BdSign.valueOf(v.getString("bdSign").toUpperCase(Locale.ROOT)))
            .setAdvEncoder(AdvEncoder.valueOf(v.getString("advEncoder").toUpperCase(Locale.ROOT)))
            .setTau(v.getDouble("tau"))
            .setEpochs(v.getInt("epochs"))
            .setBatchSize(v.getInt("batchSize"))
            .setLearningRate(v.getDouble("lr"))
            .setBeta1(v.getDouble("beta1"))
            .setBeta2(v.getDouble("beta2"))
            .setDClip(v.getDouble("dClip"))
            .setBrightnessMin(v.getDouble("brightnessMin"))
            .setBrightnessMax(v.getDouble("brightnessMax"))
            .setClampMode(v.getString("clamp").equals("clip") ? ClampMode.CLIP : ClampMode.ADVCLIP)
            .setPatchSide(v.getInt("patchSide"))
            .setPatchFraction(v.getDouble("patchFraction"))
            .setMargin(v.getInt("margin"))
            .build();
    if (v.getInt("networkWidth") > 0) {
      o = o.toBuilder().setNetworkWidth(v.getInt("networkWidth")).build();
    }
    return new AdvClipPatchConfig(o);
  }
}
