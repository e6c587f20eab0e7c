package org.abdflow.engine.spec;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: specs from resources and from inline lines. */
final class Specs {
  static final Path INLINE = Path.of("inline.yaml");

  private Specs() {}

  static Path resource(String name) {
    try {
      return Path.of(Specs.class.getResource("/specs/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static PipelineSpec parse(String... lines) throws SpecException {
    return SpecLoader.parse(String.join("\n", lines) + "\n", INLINE);
  }

  /** The errors as {@code LINE KEYPATH}, easy to compare as a whole. */
  static List<String> where(List<SpecError> errors) {
    List<String> out = new ArrayList<>();
    for (SpecError e : errors) {
      out.add(e.line() + " " + e.keyPath());
    }
    return out;
  }
}
