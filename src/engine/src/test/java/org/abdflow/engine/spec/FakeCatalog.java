package org.abdflow.engine.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;

/** A few types shaped like the real plugins', with one cross-key rule and one buggy configure. */
final class FakeCatalog implements TypeCatalog {
  private final Map<String, TypeInfo> types = new LinkedHashMap<>();

  FakeCatalog() {
    add(
        TypeInfo.create(
            "IdxSource",
            ConfigSchema.builder()
                .addRequiredString("images", "IDX image file")
                .addRequiredString("labels", "IDX label file")
                .addOptionalString("captions", "caption templates")
                .build(),
            0,
            0,
            v -> v,
            "reads IDX files"));
    add(
        TypeInfo.create(
            "BadNet",
            ConfigSchema.builder()
                .addRequiredString("target", "target class")
                .addDouble("rate", 0.05, 0.0, 1.0, "poisoning rate")
                .addInt("size", 6, 1, 64, "patch size")
                .build(),
            1,
            1,
            v -> {
              if (v.getInt("size") > 32 && v.getDouble("rate") > 0.5) {
                throw new ConfigException("size", "must be at most 32 when rate > 0.5");
              }
              return v;
            },
            "BadNet patch attack"));
    add(
        TypeInfo.create(
            "Train",
            ConfigSchema.builder()
                .addInt("epochs", 10, 1, 1000, "epochs")
                .addDouble("lr", 1e-3, 0.0, 1.0, "learning rate")
                .addString("model", "clip-tiny", "model name")
                .build(),
            1,
            2,
            v -> {
              if (v.getString("model").equals("broken")) {
                throw new IllegalStateException("boom");
              }
              return v;
            },
            "trains CLIP"));
    add(
        TypeInfo.create(
            "ZeroShotEval",
            ConfigSchema.builder()
                .addStringList("attacks", List.of(), "attacks to evaluate")
                .addOptionalString("target", "target class")
                .build(),
            1,
            Integer.MAX_VALUE,
            v -> v,
            "zero-shot evaluation"));
    add(TypeInfo.create("Defend", ConfigSchema.empty(), 3, 3, v -> v, "defense"));
  }

  private void add(TypeInfo info) {
    types.put(info.type(), info);
  }

  @Override
  public SortedSet<String> types() {
    return new TreeSet<>(types.keySet());
  }

  @Override
  public Optional<TypeInfo> lookup(String type) {
    return Optional.ofNullable(types.get(type));
  }
}
