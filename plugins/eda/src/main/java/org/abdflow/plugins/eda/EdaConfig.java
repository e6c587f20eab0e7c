package org.abdflow.plugins.eda;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.plugins.eda.Eda.Operation;

/** Rates and operations of {@link EdaAugmenter}; the defaults are CleanCLIP's. */
@AutoValue
public abstract class EdaConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final List<String> ALL = List.of("sr", "ri", "rs", "rd");

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addDouble("alphaSr", 0.1, 0.0, 1.0, "SR: share of the words replaced by a WordNet synonym (at least one; 0 leaves SR out)")
          .addDouble("alphaRi", 0.1, 0.0, 1.0, "RI: share of the word count inserted as synonyms (at least one; 0 leaves RI out)")
          .addDouble("alphaRs", 0.1, 0.0, 1.0, "RS: share of the word count swapped in pairs (at least one swap; 0 leaves RS out)")
          .addDouble("pRd", 0.1, 0.0, 1.0, "RD: probability that each word is deleted (0 leaves RD out)")
          .addStringList("operations", ALL, "which operations make a candidate, one of which is drawn per caption: sr, ri, rs, rd")
          .build();

  public abstract double alphaSr();

  public abstract double alphaRi();

  public abstract double alphaRs();

  public abstract double pRd();

  /** The chosen operations, in the reference's order (SR, RI, RS, RD), whatever the spec's order. */
  public abstract List<Operation> operations();

  /** Whether {@code op} makes a candidate (its rate may still be 0, which leaves it out). */
  public boolean uses(Operation op) {
    return operations().contains(op);
  }

  static Builder builder() {
    return new AutoValue_EdaConfig.Builder();
  }

  static EdaConfig from(ConfigValues v) {
    return builder()
        .setAlphaSr(v.getDouble("alphaSr"))
        .setAlphaRi(v.getDouble("alphaRi"))
        .setAlphaRs(v.getDouble("alphaRs"))
        .setPRd(v.getDouble("pRd"))
        .setOperations(parseOperations(v.getStringList("operations")))
        .build();
  }

  private static List<Operation> parseOperations(List<String> names) {
    Set<Operation> chosen = EnumSet.noneOf(Operation.class);
    for (String name : names) {
      String key = name.trim().toLowerCase(Locale.ROOT);
      if (!ALL.contains(key)) {
        throw new ConfigException("operations", "unknown operation \"" + name + "\" (known: " + String.join(", ", ALL) + ")"
            + org.abdflow.api.config.DidYouMean.suggestion(key, ALL));
      }
      chosen.add(Operation.valueOf(key.toUpperCase(Locale.ROOT)));
    }
    if (chosen.isEmpty()) {
      throw new ConfigException("operations", "needs at least one of " + String.join(", ", ALL));
    }
    return List.copyOf(new ArrayList<>(chosen));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setAlphaSr(double v);

    abstract Builder setAlphaRi(double v);

    abstract Builder setAlphaRs(double v);

    abstract Builder setPRd(double v);

    abstract Builder setOperations(List<Operation> ops);

    abstract EdaConfig autoBuild();

    EdaConfig build() {
      EdaConfig c = autoBuild();
      boolean any = (c.uses(Operation.SR) && c.alphaSr() > 0) || (c.uses(Operation.RI) && c.alphaRi() > 0)
          || (c.uses(Operation.RS) && c.alphaRs() > 0) || (c.uses(Operation.RD) && c.pRd() > 0);
      if (!any) {
        // The reference would return the caption only normalised: almost surely a mistake in a spec.
        throw new ConfigException("operations", "every chosen operation " + c.operations() + " has rate 0, so EDA would change nothing");
      }
      return c;
    }
  }
}
