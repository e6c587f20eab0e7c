package org.abdflow.plugins.metrics;

import org.pf4j.Extension;

/** Top-5 zero-shot accuracy on clean images. */
@Extension
public class CleanTop5 extends TopKAccuracy {
  public CleanTop5() {
    super(5);
  }

  @Override
  public String type() {
    return "CleanTop5";
  }

  @Override
  public String description() {
    return "top-5 zero-shot accuracy on clean images";
  }

  @Override
  public String name(NoConfig config) {
    return "clean_top5";
  }
}
