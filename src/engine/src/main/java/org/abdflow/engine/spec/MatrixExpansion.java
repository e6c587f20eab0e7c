package org.abdflow.engine.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a spec's {@code matrix} so a grid is written once. A transform whose name uses {@code
 * ${var}} becomes one transform per value (per combination when it uses several), with the value
 * put into its name, inputs and config. An input that uses a variable its transform's name does
 * not bind stands for all its values ({@code input: [victim-${attack}, test]} lists every victim).
 * Shared stages (the clean model, each attack) are written without variables and stay single.
 *
 * <p>Seeds are the one variable that needs no {@code ${}}: every stage's randomness depends on the
 * seed, so a {@code seed} list copies the whole expanded pipeline once per seed ({@link #perSeed}).
 */
final class MatrixExpansion {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_]*)}");

  private MatrixExpansion() {}

  /** The expanded transforms; {@code ${name}} of {@code reported} (params already reported as unset) is left alone. */
  static List<TransformSpec> expand(Map<String, List<String>> matrix, List<TransformSpec> transforms, List<SpecError> errors,
      Set<String> reported) {
    List<TransformSpec> out = new ArrayList<>();
    for (TransformSpec t : transforms) {
      List<String> bound = new ArrayList<>(vars(t.name()));
      List<String> unknown = new ArrayList<>();
      Set<String> used = new LinkedHashSet<>(bound);
      t.inputs().forEach(i -> used.addAll(vars(i)));
      used.addAll(configVars(t.config()));
      used.removeAll(reported);
      for (String v : used) {
        if (!matrix.containsKey(v)) {
          unknown.add(v);
        }
      }
      if (unknown.contains("seed")) {
        errors.add(SpecError.create(t.nameLocation(), t.keyPath(), "uses ${seed}: seeds need no variable, since pipeline.matrix.seed "
            + "copies every transform once per seed (as name.seedN); leave ${seed} out"));
        out.add(t);
        continue;
      }
      if (!unknown.isEmpty()) {
        errors.add(SpecError.create(t.nameLocation(), t.keyPath(), "uses ${" + String.join("}, ${", unknown) + "}, which neither params nor "
            + (matrix.isEmpty() ? "a pipeline.matrix define" : "pipeline.matrix (it has " + matrix.keySet() + ") define")));
        out.add(t);
        continue;
      }
      Set<String> unboundInConfig = new LinkedHashSet<>(configVars(t.config()));
      unboundInConfig.removeAll(bound);
      unboundInConfig.removeAll(reported);
      if (!unboundInConfig.isEmpty()) {
        errors.add(SpecError.create(t.location(), t.keyPath("config"), "uses ${" + String.join("}, ${", unboundInConfig)
            + "} in its config, which its name does not use: name it like the others (e.g. " + t.name() + "-${"
            + unboundInConfig.iterator().next() + "}) so each copy gets one value"));
        out.add(t);
        continue;
      }
      if (used.isEmpty()) {
        out.add(t);
        continue;
      }
      for (Map<String, String> combo : combinations(bound, matrix)) {
        List<String> inputs = new ArrayList<>();
        List<SourceLocation> locations = new ArrayList<>();
        for (int i = 0; i < t.inputs().size(); i++) {
          for (String in : allValues(substitute(t.inputs().get(i), combo), matrix)) {
            inputs.add(in);
            locations.add(t.inputLocations().get(i));
          }
        }
        out.add(t.toBuilder()
            .setName(substitute(t.name(), combo))
            .setInputs(List.copyOf(inputs))
            .setInputLocations(List.copyOf(locations))
            .setInputIsList(t.inputIsList() || inputs.size() > 1)
            .setConfig(substituteAll(t.config(), combo))
            .build());
      }
    }
    return out;
  }

  /**
   * One copy of every transform per seed, named {@code name.seedN}, reading the same seed's copies
   * of its inputs. Config keys that name transforms (an evaluation's {@code attacks}) keep the
   * spec's names; {@link PipelineSpec#reference} takes them to the same seed's copy.
   */
  static List<TransformSpec> perSeed(List<Long> seeds, List<TransformSpec> transforms) {
    Set<String> names = new LinkedHashSet<>();
    transforms.forEach(t -> names.add(t.name()));
    List<TransformSpec> out = new ArrayList<>();
    for (long seed : seeds) {
      String suffix = TransformSpec.seedSuffix(seed);
      for (TransformSpec t : transforms) {
        out.add(t.toBuilder()
            .setName(t.name() + suffix)
            .setSeed(seed)
            .setInputs(t.inputs().stream().map(i -> names.contains(i) ? i + suffix : i).toList())
            .build());
      }
    }
    return out;
  }

  static List<String> vars(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = VAR.matcher(text);
    while (m.find()) {
      if (!out.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private static Set<String> configVars(Object value) {
    Set<String> out = new LinkedHashSet<>();
    if (value instanceof String s) {
      out.addAll(vars(s));
    } else if (value instanceof Map<?, ?> m) {
      m.values().forEach(v -> out.addAll(configVars(v)));
    } else if (value instanceof List<?> l) {
      l.forEach(v -> out.addAll(configVars(v)));
    }
    return out;
  }

  /** Every assignment of values to {@code vars}, the first variable changing slowest. */
  private static List<Map<String, String>> combinations(List<String> vars, Map<String, List<String>> matrix) {
    List<Map<String, String>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (String v : vars) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : out) {
        for (String value : matrix.get(v)) {
          Map<String, String> c = new LinkedHashMap<>(partial);
          c.put(v, value);
          next.add(c);
        }
      }
      out = next;
    }
    return out;
  }

  private static String substitute(String text, Map<String, String> combo) {
    Matcher m = VAR.matcher(text);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String v = combo.get(m.group(1));
      m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(b);
    return b.toString();
  }

  /** A config value that is one variable takes the value's YAML type: {@code rate: ${rate}} stays a number. */
  private static Object typed(String v) {
    if (v.matches("-?\\d+")) {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        return Long.parseLong(v);
      }
    }
    if (v.matches("-?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?")) {
      return Double.parseDouble(v);
    }
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    return v;
  }

  /** An input with variables left stands for each of their values. */
  private static List<String> allValues(String input, Map<String, List<String>> matrix) {
    List<String> left = vars(input);
    if (left.isEmpty()) {
      return List.of(input);
    }
    List<String> out = new ArrayList<>();
    for (Map<String, String> c : combinations(left, matrix)) {
      out.add(substitute(input, c));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static <T> T substituteAll(T value, Map<String, String> combo) {
    if (value instanceof String s) {
      Matcher whole = VAR.matcher(s);
      if (whole.matches() && combo.containsKey(whole.group(1))) {
        return (T) typed(combo.get(whole.group(1)));
      }
      return (T) substitute(s, combo);
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, substituteAll(v, combo)));
      return (T) out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(substituteAll(v, combo)));
      return (T) out;
    }
    return value;
  }
}
