package org.abdflow.engine.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigKey;
import org.abdflow.api.config.ConfigProblem;
import org.abdflow.api.config.ConfigValues;

/**
 * Checks a loaded spec as a whole against the known types, so that one run of {@code abdflow
 * validate} reports every problem, each with its file, line and key: shape, unknown types, names,
 * inputs and their number, cycles, and config values (schema first, then the type's own rules).
 */
public final class SpecValidator {
  /**
   * What a transform name may look like. Names become folder and file names of stage outputs, so
   * path separators and leading dots are out.
   */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private SpecValidator() {}

  /** Loads a spec and validates it; throws with every error when it has any. */
  public static PipelineSpec loadAndValidate(Path file, TypeCatalog catalog) throws SpecException {
    PipelineSpec spec = SpecLoader.load(file);
    List<SpecError> errors = validate(spec, catalog);
    if (!errors.isEmpty()) {
      throw new SpecException(errors);
    }
    return spec;
  }

  /** Every problem of the spec, in file order; empty when it can run. */
  public static List<SpecError> validate(PipelineSpec spec, TypeCatalog catalog) {
    List<SpecError> errors = new ArrayList<>(spec.shapeErrors());
    List<TransformSpec> transforms = spec.transforms();
    Map<String, TransformSpec> byName = checkNames(transforms, errors);
    for (TransformSpec t : transforms) {
      checkInputs(t, byName, errors);
      checkType(t, catalog, errors);
    }
    checkCycles(transforms, errors);
    // Stable, so errors on one line keep the order they were found in.
    errors.sort(
        Comparator.comparing((SpecError e) -> e.file().toString())
            .thenComparingInt(SpecError::line)
            .thenComparingInt(SpecError::column));
    return List.copyOf(errors);
  }

  private static Map<String, TransformSpec> checkNames(
      List<TransformSpec> transforms, List<SpecError> errors) {
    Map<String, TransformSpec> byName = new HashMap<>();
    for (TransformSpec t : transforms) {
      if (t.name().isEmpty()) {
        continue; // the loader reported it
      }
      if (!NAME.matcher(t.name()).matches()) {
        errors.add(
            error(
                t.nameLocation(),
                t.keyPath("name"),
                "\""
                    + t.name()
                    + "\" is not a valid name: use letters, digits, '_', '-' and '.', not first"));
      }
      TransformSpec first = byName.putIfAbsent(t.name(), t);
      if (first != null) {
        errors.add(
            error(
                t.nameLocation(),
                t.keyPath("name"),
                "duplicate name "
                    + t.name()
                    + " (first used at line "
                    + first.nameLocation().line()
                    + ")"));
      }
    }
    return byName;
  }

  private static void checkInputs(
      TransformSpec t, Map<String, TransformSpec> byName, List<SpecError> errors) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < t.inputs().size(); i++) {
      String input = t.inputs().get(i);
      if (!byName.containsKey(input)) {
        errors.add(
            error(
                t.inputLocation(i),
                t.inputKeyPath(i),
                "unknown input "
                    + input
                    + " (transforms: "
                    + String.join(", ", names(byName))
                    + ")"
                    + Names.suggestion(input, byName.keySet())));
      } else if (!seen.add(input)) {
        errors.add(
            error(t.inputLocation(i), t.inputKeyPath(i), "input " + input + " is given twice"));
      }
    }
  }

  private static void checkType(TransformSpec t, TypeCatalog catalog, List<SpecError> errors) {
    if (t.type().isEmpty()) {
      return; // the loader reported it
    }
    Optional<TypeInfo> found = catalog.lookup(t.type());
    if (found.isEmpty()) {
      errors.add(error(t.typeLocation(), t.keyPath("type"), unknownType(t.type(), catalog)));
      return;
    }
    TypeInfo info = found.get();
    if (!t.malformed().contains("input")) {
      int n = t.inputs().size();
      if (n < info.minInputs() || n > info.maxInputs()) {
        errors.add(
            error(
                t.inputLocation(),
                t.keyPath("input"),
                info.type() + " " + arity(info) + ", got " + n + inputList(t)));
      }
    }
    if (!t.malformed().contains("config")) {
      checkConfig(t, info, errors);
    }
  }

  private static void checkConfig(TransformSpec t, TypeInfo info, List<SpecError> errors) {
    List<ConfigProblem> problems = info.schema().validate(t.config());
    if (!problems.isEmpty()) {
      Set<String> known = new LinkedHashSet<>();
      for (ConfigKey k : info.schema().keys()) {
        known.add(k.name());
      }
      for (ConfigProblem p : problems) {
        // the schema already suggests the closest key; say where the whole list is
        String message = known.contains(p.key()) ? p.message() : then(p.message(), Names.describe(info.type()) + " lists its keys");
        errors.add(error(t.locationOf(p.key()), configPath(t, p.key()), message));
      }
      return;
    }
    // every input file a config names, all at once, before the type's own checks stop at the first
    boolean missing = false;
    for (ConfigKey k : info.schema().keys()) {
      if (k.type() == org.abdflow.api.config.ConfigType.PATH && t.config().get(k.name()) instanceof String path
          && !java.nio.file.Files.exists(Path.of(path))) {
        errors.add(error(t.locationOf(k.name()), configPath(t, k.name()), "no such file or folder: " + path + nearbyFile(Path.of(path), "the spec's folder")));
        missing = true;
      }
    }
    if (missing) {
      return;
    }
    try {
      ConfigValues values = info.schema().parse(t.config());
      info.configure().apply(values);
    } catch (ConfigException e) {
      errors.add(error(t.locationOf(e.key()), configPath(t, e.key()), e.detail()));
    } catch (RuntimeException e) {
      // A plugin's bug should not hide the spec's other errors; name it and go on.
      errors.add(
          error(
              t.location(),
              t.keyPath("config"),
              info.type()
                  + " failed to read its config: "
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage()));
    }
  }

  private static void checkCycles(List<TransformSpec> transforms, List<SpecError> errors) {
    SpecGraph graph = new SpecGraph(transforms);
    if (graph.topologicalOrder().size() == transforms.size()) {
      return;
    }
    for (List<Integer> cycle : graph.cycles()) {
      TransformSpec first = transforms.get(cycle.get(0));
      errors.add(
          error(
              first.inputLocation(),
              first.keyPath("input"),
              "the inputs form a cycle: " + graph.describe(cycle)));
    }
  }

  private static String unknownType(String type, TypeCatalog catalog) {
    Set<String> known = catalog.types();
    List<String> problems = catalog.loadProblems();
    String loading = problems.isEmpty() ? "" : ". Loading the plugins: " + String.join("; ", problems);
    if (known.isEmpty()) {
      return "unknown type " + type + " (no types are known: are the plugins loaded?); build them (`./abdflow` does on first"
          + " use; they land in target/plugins) or name their folder with --plugins DIR" + loading;
    }
    String message = then(
        "unknown type " + type + " (known: " + String.join(", ", known) + ")" + Names.suggestion(type, known),
        "run " + Names.LIST_TYPES + " to list types, or add the folder of the plugin JAR that defines it with --plugins DIR"
            + " or the spec's plugins: list");
    return message + loading;
  }

  /**
   * {@code message} followed by what to do next: after a "did you mean X?" as a new sentence,
   * else after a semicolon.
   */
  static String then(String message, String next) {
    if (message.endsWith("?")) {
      return message + " " + Character.toUpperCase(next.charAt(0)) + next.substring(1);
    }
    return message + "; " + next;
  }

  /**
   * For a file that does not exist: the closest name in its folder if one is a likely typo ({@code
   * "; did you mean train-images.gz?"}), or that the folder is missing too (a relative path is read
   * from {@code relativeTo}).
   */
  public static String nearbyFile(Path missing, String relativeTo) {
    Path folder = missing.toAbsolutePath().getParent();
    if (folder == null) {
      return "";
    }
    if (!java.nio.file.Files.isDirectory(folder)) {
      return " (nor its folder " + folder + "; a relative path is read from " + relativeTo + ")";
    }
    List<String> siblings = new ArrayList<>();
    try (java.util.stream.Stream<Path> list = java.nio.file.Files.list(folder)) {
      list.limit(10_000).forEach(p -> siblings.add(p.getFileName().toString()));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return "";
    }
    String name = missing.getFileName().toString();
    return Names.suggestion(name, siblings);
  }

  private static String arity(TypeInfo info) {
    int min = info.minInputs();
    int max = info.maxInputs();
    if (max == 0) {
      return "takes no input";
    } else if (min == max) {
      return "takes exactly " + min + (min == 1 ? " input" : " inputs");
    } else if (max == Integer.MAX_VALUE) {
      return "takes at least " + min + (min == 1 ? " input" : " inputs");
    }
    return "takes " + min + " to " + max + " inputs";
  }

  private static String inputList(TransformSpec t) {
    return t.inputs().isEmpty() ? "" : " (" + String.join(", ", t.inputs()) + ")";
  }

  private static String configPath(TransformSpec t, String key) {
    return key == null ? t.keyPath("config") : t.keyPath("config." + key);
  }

  /** Transform names in file order, as they appear to the user. */
  private static List<String> names(Map<String, TransformSpec> byName) {
    List<TransformSpec> ts = new ArrayList<>(byName.values());
    ts.sort(Comparator.comparingInt(TransformSpec::index));
    List<String> out = new ArrayList<>();
    for (TransformSpec t : ts) {
      out.add(t.name());
    }
    return out;
  }

  private static SpecError error(SourceLocation at, String keyPath, String message) {
    return SpecError.create(at, keyPath, message);
  }
}
