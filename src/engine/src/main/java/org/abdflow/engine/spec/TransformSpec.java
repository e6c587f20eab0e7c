package org.abdflow.engine.spec;

import com.google.auto.value.AutoValue;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of {@code pipeline.transforms}: its type, unique name, the names of its inputs and its
 * raw config, with the lines they came from so later stages can point at them too.
 */
@AutoValue
public abstract class TransformSpec {

  /** The plugin type, e.g. {@code BadNet}; empty when the spec gave none (already an error). */
  public abstract String type();

  /** The transform's name; empty when the spec gave none (already an error). */
  public abstract String name();

  /** Names of the transforms whose outputs this one reads, in the order given. */
  public abstract List<String> inputs();

  /**
   * The config as YAML gave it: Integer/Long/BigInteger, Double, Boolean, String, null, and
   * unmodifiable List and Map (insertion-ordered, String keys) of those.
   */
  public abstract Map<String, Object> config();

  /**
   * The seed of this copy of the transform when {@code pipeline.matrix} lists seeds (the whole
   * pipeline is then copied once per seed); empty otherwise, and the run seed applies.
   */
  public abstract java.util.OptionalLong seed();

  /** The name the spec wrote: {@link #name()} without the seed copy's suffix. */
  public String baseName() {
    return seed().isPresent() ? name().substring(0, name().length() - seedSuffix(seed().getAsLong()).length()) : name();
  }

  /** What a seed copy's name gets appended: {@code victim} of seed 2 is {@code victim.seed2}. */
  public static String seedSuffix(long seed) {
    return ".seed" + seed;
  }

  /** Where the transform's map starts. */
  public abstract SourceLocation location();

  /** Position in {@code pipeline.transforms}, 0-based. */
  public abstract int index();

  /** Where the {@code type} value is, or {@link #location()} without one. */
  public abstract SourceLocation typeLocation();

  /** Where the {@code name} value is, or {@link #location()} without one. */
  public abstract SourceLocation nameLocation();

  /** Where the {@code input} key is, or {@link #location()} without one. */
  public abstract SourceLocation inputLocation();

  /** Where each input name is, parallel to {@link #inputs()}. */
  abstract List<SourceLocation> inputLocations();

  /**
   * Whether {@code input} was a list, so errors name {@code input[i]} rather than {@code input}.
   */
  abstract boolean inputIsList();

  /** Lines of the config keys. */
  abstract Map<String, SourceLocation> configLocations();

  /**
   * Keys among {@code type}, {@code name}, {@code input}, {@code config} whose shape was wrong; the
   * loader reported them, so the validator does not pile further errors on them.
   */
  abstract Set<String> malformed();

  abstract Builder toBuilder();

  static Builder builder() {
    return new AutoValue_TransformSpec.Builder()
        .setType("")
        .setName("")
        .setInputs(List.of())
        .setInputLocations(List.of())
        .setInputIsList(false)
        .setConfig(Map.of())
        .setConfigLocations(Map.of())
        .setMalformed(Set.of());
  }

  /** Key path of this transform, e.g. {@code pipeline.transforms[3]}. */
  public String keyPath() {
    return "pipeline.transforms[" + index() + "]";
  }

  /** Key path of a key of this transform, e.g. {@code pipeline.transforms[3].config}. */
  public String keyPath(String key) {
    return keyPath() + "." + key;
  }

  /** Where a config key is given, or the transform's own location when it is not. */
  public SourceLocation locationOf(String configKey) {
    SourceLocation at = configKey == null ? null : configLocations().get(configKey);
    return at == null ? location() : at;
  }

  /** Where the {@code i}th input name is. */
  SourceLocation inputLocation(int i) {
    return i < inputLocations().size() ? inputLocations().get(i) : inputLocation();
  }

  /** Key path of the {@code i}th input: {@code .input[i]} for a list, {@code .input} otherwise. */
  String inputKeyPath(int i) {
    return inputIsList() ? keyPath("input[" + i + "]") : keyPath("input");
  }

  @Override
  public final String toString() {
    return name() + " (" + type() + ") at " + location();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setType(String type);

    abstract Builder setName(String name);

    abstract Builder setSeed(long seed);

    abstract Builder setInputs(List<String> inputs);

    abstract Builder setConfig(Map<String, Object> config);

    abstract Builder setLocation(SourceLocation location);

    abstract Builder setIndex(int index);

    abstract Builder setTypeLocation(SourceLocation location);

    abstract Builder setNameLocation(SourceLocation location);

    abstract Builder setInputLocation(SourceLocation location);

    abstract Builder setInputLocations(List<SourceLocation> locations);

    abstract Builder setInputIsList(boolean isList);

    abstract Builder setConfigLocations(Map<String, SourceLocation> locations);

    abstract Builder setMalformed(Set<String> keys);

    abstract TransformSpec build();
  }
}
