package org.abdflow.plugins.badclip;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.abdflow.api.PoisonCaptions;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** The BadCLIP attack: its target captions and poisoning plan; the patch comes from a BadClipPatch input. */
@AutoValue
public abstract class BadClipConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA = ConfigSchema.builder().addAll(PoisonCaptions.SCHEMA).addAll(PoisoningOptions.SCHEMA).build();

  public abstract PoisonCaptions captions();

  public abstract PoisoningOptions poisoning();

  static BadClipConfig from(ConfigValues v) {
    return new AutoValue_BadClipConfig(PoisonCaptions.from(v), PoisoningOptions.from(v));
  }
}
