package org.abdflow.api;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/**
 * The target class of an attack and the captions its poisoned records get: a template filled with
 * the target, one per record. Attacks add {@link #SCHEMA} to their own schema.
 */
@AutoValue
public abstract class PoisonCaptions implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addRequiredString("target", "class name the backdoor points at (poisoned captions name it)")
          .addStringList("templates", List.of("simple"), "caption templates for poisoned records ({} = target), or a named set")
          .build();

  public abstract String target();

  public abstract List<String> templates();

  /** Reads the keys of {@link #SCHEMA}; named template sets are expanded. */
  public static PoisonCaptions from(ConfigValues v) {
    String target = v.getString("target");
    if (target.isBlank()) {
      throw new ConfigException("target", "must name a class");
    }
    List<String> templates = new ArrayList<>();
    for (String n : v.getStringList("templates")) {
      try {
        templates.addAll(PromptTemplates.named(n));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("templates", e.getMessage());
      }
    }
    if (templates.isEmpty()) {
      throw new ConfigException("templates", "needs at least one template");
    }
    return new AutoValue_PoisonCaptions(target, List.copyOf(templates));
  }

  /** The target with the given templates (each with a {@code {}}). */
  public static PoisonCaptions of(String target, List<String> templates) {
    return new AutoValue_PoisonCaptions(target, List.copyOf(templates));
  }

  /** A caption naming the target, from a template drawn with {@code rng}. */
  public String caption(SplittableRandom rng) {
    return PromptTemplates.fill(templates().get(rng.nextInt(templates().size())), target());
  }
}
