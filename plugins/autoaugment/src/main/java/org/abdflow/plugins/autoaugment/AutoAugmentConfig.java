package org.abdflow.plugins.autoaugment;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.plugins.autoaugment.Policies.SubPolicy;

/** Which learned policy {@link AutoAugmentAugmenter} uses and how often it augments at all. */
@AutoValue
public abstract class AutoAugmentConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addEnum("policy", "imagenet", Policies.NAMES,
              "torchvision's learned AutoAugment policy (CleanCLIP uses imagenet, the default)")
          .addDouble("probability", 1.0, 0.0, 1.0,
              "chance that a record's image is augmented at all; otherwise its view is the image unchanged")
          .build();

  /** The policy's name, lower case: imagenet, cifar10 or svhn. */
  public abstract String policy();

  /** The chance, in [0, 1], that the augmentation is applied to an image. */
  public abstract double probability();

  /** The policy's 25 sub-policies. */
  List<SubPolicy> subPolicies() {
    return Policies.of(policy());
  }

  /** A config built in code (for plugins that augment inside their own loop, e.g. BadCLIP's patch optimisation). */
  public static AutoAugmentConfig of(String policy, double probability) {
    return builder().setPolicy(policy).setProbability(probability).build();
  }

  /** The names {@link #policy} takes. */
  public static List<String> policyNames() {
    return Policies.NAMES;
  }

  static Builder builder() {
    return new AutoValue_AutoAugmentConfig.Builder();
  }

  static AutoAugmentConfig from(ConfigValues v) {
    return builder().setPolicy(v.getString("policy")).setProbability(v.getDouble("probability")).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setPolicy(String policy);

    abstract Builder setProbability(double probability);

    abstract AutoAugmentConfig autoBuild();

    // The schema checks a spec already; these checks keep configs built in code just as valid.
    AutoAugmentConfig build() {
      AutoAugmentConfig c = autoBuild();
      if (!Policies.NAMES.contains(c.policy())) {
        throw new ConfigException("policy", "expected one of " + String.join(", ", Policies.NAMES) + ", got \"" + c.policy() + "\"");
      }
      if (!(c.probability() >= 0.0 && c.probability() <= 1.0)) {
        throw new ConfigException("probability", "must be in [0, 1], got " + c.probability());
      }
      return c;
    }
  }
}
