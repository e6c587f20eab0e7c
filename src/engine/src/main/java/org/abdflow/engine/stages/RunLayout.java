package org.abdflow.engine.stages;

import java.io.Serializable;
import java.nio.file.Path;

/** Where a run writes: one folder per stage artifact, dead letters, results and the report. */
public record RunLayout(String root) implements Serializable {

  public static RunLayout at(Path root) {
    return new RunLayout(root.toAbsolutePath().normalize().toString());
  }

  public Path rootPath() {
    return Path.of(root);
  }

  /** The artifact folder of a stage. */
  public Path stage(String stage) {
    return rootPath().resolve("artifacts").resolve(stage);
  }

  public Path results() {
    return rootPath().resolve("results");
  }

  public Path deadLetters() {
    return rootPath().resolve("dead-letters");
  }

  public Path reportJson() {
    return rootPath().resolve("report.json");
  }
}
