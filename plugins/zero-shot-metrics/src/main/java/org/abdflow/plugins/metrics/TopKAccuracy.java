package org.abdflow.plugins.metrics;

import org.abdflow.api.Metric;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.schema.Prediction;

/** Clean accuracy: the true class among the first k predictions of an untriggered image. */
abstract class TopKAccuracy implements Metric<NoConfig> {
  private final int k;

  TopKAccuracy(int k) {
    this.k = k;
  }

  @Override
  public ConfigSchema configSchema() {
    return NoConfig.SCHEMA;
  }

  @Override
  public NoConfig configure(ConfigValues values) {
    return NoConfig.INSTANCE;
  }

  @Override
  public boolean appliesTo(Prediction p, NoConfig config) {
    return "none".equals(p.getAttack());
  }

  @Override
  public boolean hit(Prediction p, NoConfig config) {
    int n = Math.min(k, p.getTopK().size());
    for (int i = 0; i < n; i++) {
      if (p.getTopK().get(i) == p.getLabel()) {
        return true;
      }
    }
    return false;
  }
}
