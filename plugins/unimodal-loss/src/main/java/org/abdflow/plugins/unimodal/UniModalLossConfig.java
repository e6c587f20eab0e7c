package org.abdflow.plugins.unimodal;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** Weight of the unimodal term and which of its two halves take part. */
@AutoValue
public abstract class UniModalLossConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addDouble("weight", 1.0, 0.0, null, "lambda_2 of the objective (PAPER §1.5, §3.2; CleanCLIP's --inmodal_weight)")
          .addBoolean("image", true, "include the image half: each image against the batch's augmented images")
          .addBoolean("text", true, "include the text half: each caption against the batch's augmented captions")
          .build();

  public abstract double weight();

  public abstract boolean image();

  public abstract boolean text();

  static UniModalLossConfig from(ConfigValues v) {
    UniModalLossConfig c = new AutoValue_UniModalLossConfig(v.getDouble("weight"), v.getBoolean("image"), v.getBoolean("text"));
    if (!c.image() && !c.text()) {
      throw new ConfigException("image", "at least one of image and text must be true");
    }
    return c;
  }
}
