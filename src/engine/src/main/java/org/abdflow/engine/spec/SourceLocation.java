package org.abdflow.engine.spec;

import com.google.auto.value.AutoValue;
import java.nio.file.Path;

/** A place in a spec file: line and column are 1-based. */
@AutoValue
public abstract class SourceLocation {

  public abstract Path file();

  public abstract int line();

  public abstract int column();

  public static SourceLocation of(Path file, int line, int column) {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
    return new AutoValue_SourceLocation(file, line, column);
  }

  /** {@code FILE:LINE:COLUMN}, the form editors and terminals turn into links. */
  @Override
  public final String toString() {
    return file() + ":" + line() + ":" + column();
  }
}
