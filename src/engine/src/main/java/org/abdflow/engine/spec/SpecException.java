package org.abdflow.engine.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that cannot be run; carries every error found, its message lists them one per line. */
public class SpecException extends Exception {
  private static final long serialVersionUID = 1L;

  // SpecError is not Serializable; the errors live on in the message if the exception is.
  private final transient List<SpecError> errors;

  public SpecException(List<SpecError> errors) {
    super(format(errors));
    this.errors = List.copyOf(errors);
  }

  public SpecException(SpecError error) {
    this(List.of(error));
  }

  /** The errors, in file order. */
  public List<SpecError> errors() {
    return errors == null ? List.of() : errors;
  }

  private static String format(List<SpecError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a SpecException needs at least one error");
    }
    return errors.stream().map(SpecError::toString).collect(Collectors.joining("\n"));
  }
}
