package org.abdflow.plugins.metrics;

import org.abdflow.api.config.ConfigValues;
import org.pf4j.Extension;

/** Top-1 zero-shot accuracy on clean images (the paper's CA). */
@Extension
public class CleanAccuracy extends TopKAccuracy {
  public CleanAccuracy() {
    super(1);
  }

  @Override
  public String type() {
    return "CleanAccuracy";
  }

  @Override
  public String description() {
    return "top-1 zero-shot accuracy on clean images (CA)";
  }

  @Override
  public String name(NoConfig config) {
    return "clean_accuracy";
  }
}
