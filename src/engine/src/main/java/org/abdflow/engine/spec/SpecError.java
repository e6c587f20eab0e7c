package org.abdflow.engine.spec;

import com.google.auto.value.AutoValue;
import java.nio.file.Path;

/**
 * One thing wrong with a spec: where it is, the key path (e.g. {@code
 * pipeline.transforms[3].config.rate}; empty for the document as a whole) and what is wrong.
 */
@AutoValue
public abstract class SpecError {

  public abstract SourceLocation location();

  /** Dotted path of the key at fault, list items by 0-based index; empty when no key applies. */
  public abstract String keyPath();

  public abstract String message();

  public static SpecError create(SourceLocation location, String keyPath, String message) {
    return new AutoValue_SpecError(location, keyPath, message);
  }

  public Path file() {
    return location().file();
  }

  public int line() {
    return location().line();
  }

  public int column() {
    return location().column();
  }

  /** {@code FILE:LINE:COL: KEYPATH: MESSAGE} (the key path left out when empty). */
  @Override
  public final String toString() {
    return keyPath().isEmpty()
        ? location() + ": " + message()
        : location() + ": " + keyPath() + ": " + message();
  }
}
