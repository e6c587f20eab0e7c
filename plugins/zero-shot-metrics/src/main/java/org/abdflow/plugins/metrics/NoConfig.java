package org.abdflow.plugins.metrics;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.abdflow.api.config.ConfigSchema;

/** The config of a metric that has no knobs. */
@AutoValue
public abstract class NoConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  static final ConfigSchema SCHEMA = ConfigSchema.empty();
  static final NoConfig INSTANCE = new AutoValue_NoConfig();
}
