package org.abdflow.api.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" suggestions for misspelt names: types, config keys, enum values, presets. Plugins
 * use it for their own name lists (an operation, a policy) so every error reads the same.
 */
public final class DidYouMean {
  private DidYouMean() {}

  /**
   * The candidate closest to {@code given} by case-insensitive edit distance, if close enough to be
   * a likely typo: at most a third of the name's length apart (and at least one edit allowed).
   */
  public static Optional<String> closest(String given, Collection<String> candidates) {
    String g = given.toLowerCase(Locale.ROOT);
    int limit = Math.max(1, g.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(g, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance && !c.equals(given)) {
        best = c;
        bestDistance = d;
      }
    }
    return bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** {@code "; did you mean X?"} or nothing. */
  public static String suggestion(String given, Collection<String> candidates) {
    return closest(given, candidates).map(c -> "; did you mean " + c + "?").orElse("");
  }

  /** Edit distance counting a swap of two neighbours as one edit (optimal string alignment): "rnu" is 1 from "run". */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
