package org.abdflow.plugins.pastepatch;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** Where the patch goes and what is pasted. */
@AutoValue
public abstract class PastePatchConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addEnum("position", "random", List.of("random", "fixed"),
              "where the patch goes: a uniformly random corner per record (as Fig. 1 shows it) or where it was optimised [I]")
          .addEnum("fill", "patch", List.of("patch", "noise"),
              "what is pasted: the generated patch, or (a control) uniform random 8-bit noise of the patch's size, drawn per record")
          .build();

  /** Whether each record gets its own random place (else the place the patch was optimised at). */
  public abstract boolean randomPosition();

  /** Whether the square is filled with random noise instead of the patch (Table III's control). */
  public abstract boolean noise();

  static PastePatchConfig from(ConfigValues v) {
    return new AutoValue_PastePatchConfig(v.getString("position").equals("random"), v.getString("fill").equals("noise"));
  }
}
