package org.abdflow.engine.spec;

import java.util.Collection;
import java.util.Optional;
import org.abdflow.api.config.DidYouMean;

/** "Did you mean" suggestions for misspelt types, names and keys ({@link DidYouMean}), and the commands errors point to. */
public final class Names {
  private Names() {}

  /** The command that lists every type with its keys. */
  public static final String LIST_TYPES = "`./abdflow plugins`";

  /** The command that shows one type's keys. */
  public static String describe(String type) {
    return "`./abdflow plugins describe " + type + "`";
  }

  /** The closest candidate, if close enough to be a likely typo. */
  public static Optional<String> closest(String given, Collection<String> candidates) {
    return DidYouMean.closest(given, candidates);
  }

  /** {@code "; did you mean X?"} or nothing. */
  public static String suggestion(String given, Collection<String> candidates) {
    return DidYouMean.suggestion(given, candidates);
  }

  /** Edit distance ({@link DidYouMean#distance}). */
  static int distance(String a, String b) {
    return DidYouMean.distance(a, b);
  }
}
