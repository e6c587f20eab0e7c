package org.abdflow.api;

import java.nio.file.Path;

/** What a source knows of the run: where relative paths start, and the seed. */
public interface SourceContext {

  /** Resolves a path of the spec against the spec file's folder. */
  Path resolve(String path);

  /** The run's seed; derive per-record seeds with {@link Seeds#forRecord}(seed, stage, id). */
  long seed();

  /** The spec transform's name. */
  String stage();
}
