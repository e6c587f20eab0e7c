package org.abdflow.engine.plugins;

import java.util.List;
import org.abdflow.api.ArtifactGenerator;
import org.abdflow.api.Attack;
import org.abdflow.api.Augmenter;
import org.abdflow.api.Loss;
import org.abdflow.api.Metric;
import org.abdflow.api.Sink;
import org.abdflow.api.Source;

/** The extension points the engine knows how to put into a pipeline. */
final class ExtensionKinds {
  private ExtensionKinds() {}

  static final List<Class<?>> ALL =
      List.of(Source.class, Attack.class, Augmenter.class, ArtifactGenerator.class, Loss.class, Metric.class, Sink.class);
}
