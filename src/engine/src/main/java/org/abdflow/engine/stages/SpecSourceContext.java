package org.abdflow.engine.stages;

import java.io.Serializable;
import java.nio.file.Path;
import org.abdflow.api.SourceContext;

/** A {@link SourceContext} whose relative paths start at the spec file's folder. */
record SpecSourceContext(String baseDir, long seed, String stage) implements SourceContext, Serializable {

  @Override
  public Path resolve(String path) {
    Path p = Path.of(path);
    return p.isAbsolute() ? p.normalize() : Path.of(baseDir).resolve(p).normalize();
  }
}
