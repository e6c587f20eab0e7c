package org.abdflow.engine.spec;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads a spec file safely (plain YAML data only, see {@link YamlReader}). Syntax errors, tags
 * other than the core ones, duplicate keys and recursive anchors fail the load; a wrong shape
 * (unknown key, a list where a map belongs, ...) is recorded in {@link PipelineSpec#shapeErrors()}
 * so that {@link SpecValidator} can report it together with every other error.
 */
public final class SpecLoader {
  static final List<String> ROOT_KEYS = List.of("params", "pipeline", "plugins");
  static final List<String> PIPELINE_KEYS = List.of("seed", "matrix", "transforms");
  static final List<String> TRANSFORM_KEYS = List.of("type", "name", "input", "config");

  /** Bytes a spec file may have; larger files are refused before they are read. */
  public static final long MAX_SPEC_BYTES = 4 << 20;

  private SpecLoader() {}

  /** Reads and parses a spec file; an unreadable file is reported as an error at its line 1. */
  public static PipelineSpec load(Path file) throws SpecException {
    return load(file, Map.of());
  }

  /**
   * Reads and parses a spec file with values for its {@code params} (the CLI's {@code --param
   * NAME=VALUE}); each must be declared by the spec.
   */
  public static PipelineSpec load(Path file, Map<String, String> params) throws SpecException {
    String text;
    try {
      // A spec is a few KB: refuse a huge file before reading it into memory.
      if (Files.isRegularFile(file) && Files.size(file) > MAX_SPEC_BYTES) {
        throw new SpecException(
            SpecError.create(
                SourceLocation.of(file, 1, 1),
                "",
                "the spec is " + Files.size(file) + " bytes, more than the limit of " + MAX_SPEC_BYTES
                    + " (a spec is a few KB of YAML; is this the right file?)"));
      }
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (CharacterCodingException e) {
      throw new SpecException(
          SpecError.create(SourceLocation.of(file, 1, 1), "", "the spec is not UTF-8 text"));
    } catch (NoSuchFileException e) {
      throw new SpecException(SpecError.create(SourceLocation.of(file, 1, 1), "", "no such file"
          + SpecValidator.nearbyFile(file, "the working directory")));
    } catch (IOException e) {
      // A FileSystemException's message repeats the path the error already starts with.
      String why =
          e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
              ? ((FileSystemException) e).getReason()
              : e.getMessage();
      throw new SpecException(
          SpecError.create(SourceLocation.of(file, 1, 1), "", "cannot read the spec: " + why));
    }
    return parse(text, file, params);
  }

  /**
   * Parses spec text; {@code file} names it in errors, and relative plugin folders are resolved
   * against its folder.
   */
  public static PipelineSpec parse(String yaml, Path file) throws SpecException {
    return parse(yaml, file, Map.of());
  }

  /** Parses spec text with values for its {@code params}. */
  public static PipelineSpec parse(String yaml, Path file, Map<String, String> params) throws SpecException {
    return new Reading(Objects.requireNonNull(file, "file"), params).read(yaml);
  }

  /** The state of one parse. */
  private static final class Reading {
    private final Path file;
    private final YamlReader yaml;
    private final List<SpecError> errors = new ArrayList<>();
    private final List<TransformSpec> transforms = new ArrayList<>();
    private final List<Path> pluginDirs = new ArrayList<>();
    private final List<PinnedPlugin> pinned = new ArrayList<>();
    private long seed = 1;
    private final List<Long> seeds = new ArrayList<>();
    private final java.util.LinkedHashMap<String, List<String>> matrix = new java.util.LinkedHashMap<>();

    private final Map<String, String> given;
    private final Map<String, String> params = new java.util.LinkedHashMap<>();
    private final Set<String> unset = new java.util.HashSet<>();

    Reading(Path file, Map<String, String> given) {
      this.file = file;
      this.yaml = new YamlReader(file);
      this.given = given;
    }

    PipelineSpec read(String text) throws SpecException {
      Node root = yaml.compose(text);
      if (!(root instanceof MappingNode)) {
        error(
            root,
            "",
            "a spec is a map with the keys pipeline and plugins, not " + yaml.describe(root));
      } else {
        boolean sawPipeline = false;
        boolean sawParams = false;
        // params first, wherever they stand: the pipeline's configs use them
        for (NodeTuple e : yaml.entries((MappingNode) root)) {
          if (YamlReader.keyText(e).equals("params")) {
            sawParams = true;
            readParams(e.getValueNode());
          }
        }
        if (!sawParams) {
          checkGivenParams(root);
        }
        for (NodeTuple e : yaml.entries((MappingNode) root)) {
          String key = YamlReader.keyText(e);
          if (key.equals("params")) {
            continue;
          } else if (key.equals("pipeline")) {
            sawPipeline = true;
            readPipeline(e);
          } else if (key.equals("plugins")) {
            readPlugins(e.getValueNode());
          } else {
            unknownKey(e, key, ROOT_KEYS);
          }
        }
        if (!sawPipeline) {
          error(root, "pipeline", "missing: a spec needs pipeline.transforms");
        }
      }
      return PipelineSpec.create(file, seed, seeds, transforms, pluginDirs, pinned, errors);
    }

    private void readPipeline(NodeTuple entry) throws SpecException {
      Node value = entry.getValueNode();
      if (!(value instanceof MappingNode)) {
        error(
            value,
            "pipeline",
            "must be a map with seed and transforms, not " + yaml.describe(value));
        return;
      }
      boolean sawTransforms = false;
      for (NodeTuple e : yaml.entries((MappingNode) value)) {
        String key = YamlReader.keyText(e);
        if (key.equals("seed")) {
          readSeed(e.getValueNode());
        } else if (key.equals("matrix")) {
          readMatrix(e.getValueNode());
        } else if (key.equals("transforms")) {
          sawTransforms = true;
          readTransforms(e.getValueNode());
        } else {
          unknownKey(e, "pipeline." + key, PIPELINE_KEYS);
        }
      }
      if (!sawTransforms) {
        error(entry.getKeyNode(), "pipeline.transforms", "missing: a pipeline needs transforms");
      }
      for (String p : params.keySet()) {
        if (matrix.containsKey(p)) {
          error(entry.getKeyNode(), "pipeline.matrix." + p, p + " is both a param and a matrix variable; rename one");
        }
      }
      if (!params.isEmpty()) {
        transforms.replaceAll(t -> t.toBuilder().setConfig(MatrixExpansion.substituteAll(t.config(), params)).build());
      }
      List<TransformSpec> expanded = MatrixExpansion.expand(matrix, transforms, errors, unset);
      if (!seeds.isEmpty()) {
        expanded = MatrixExpansion.perSeed(seeds, expanded);
      }
      transforms.clear();
      transforms.addAll(expanded);
    }

    /**
     * {@code params: {weights: /path/RN50.safetensors, csv: null}}: names a spec's configs use as
     * {@code ${name}}, with a default value (a placeholder) or null for one that must be given.
     */
    private void readParams(Node value) {
      if (!(value instanceof MappingNode)) {
        error(value, "params", "must be a map of names to default values (null: must be given with --param NAME=VALUE), not "
            + yaml.describe(value));
        return;
      }
      for (NodeTuple e : yaml.entries((MappingNode) value)) {
        String name = YamlReader.keyText(e);
        String path = "params." + name;
        if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
          error(e.getKeyNode(), path, "a param is a name of letters, digits and _");
          continue;
        }
        Node v = e.getValueNode();
        if (!(v instanceof ScalarNode)) {
          error(v, path, "a param's default is a single value, not " + yaml.describe(v));
          continue;
        }
        String value0 = given.containsKey(name) ? given.get(name) : (isNull(v) ? null : ((ScalarNode) v).getValue());
        if (value0 == null) {
          error(e.getKeyNode(), path, "has no default: give it with --param " + name + "=VALUE");
          unset.add(name);
          continue;
        }
        params.put(name, value0);
      }
      checkGivenParams(value);
    }

    private void checkGivenParams(Node at) {
      Set<String> declared = new java.util.TreeSet<>(params.keySet());
      declared.addAll(unset);
      for (String name : given.keySet()) {
        if (!declared.contains(name)) {
          error(at, "params." + name, "--param " + name + " is not a param of the spec"
              + (declared.isEmpty() ? " (it declares none)" : " (it declares " + declared + ")")
              + Names.suggestion(name, declared));
        }
      }
    }

    /** {@code matrix: {attack: [badnet, blended]}}: each variable a non-empty list of names. */
    private void readMatrix(Node value) {
      if (!(value instanceof MappingNode)) {
        error(value, "pipeline.matrix", "must be a map of variables to lists of values, not " + yaml.describe(value));
        return;
      }
      for (NodeTuple e : yaml.entries((MappingNode) value)) {
        String var = YamlReader.keyText(e);
        String path = "pipeline.matrix." + var;
        if (!var.matches("[A-Za-z][A-Za-z0-9_]*")) {
          error(e.getKeyNode(), path, "a matrix variable is a name of letters, digits and _");
          continue;
        }
        Node list = e.getValueNode();
        if (!(list instanceof SequenceNode) || ((SequenceNode) list).getValue().isEmpty()) {
          error(list, path, "must be a non-empty list of values, not " + yaml.describe(list));
          continue;
        }
        List<String> values = new ArrayList<>();
        for (Node item : ((SequenceNode) list).getValue()) {
          String v = identifier(item);
          if (v == null) {
            error(item, path, "values are names or numbers, not " + yaml.describe(item));
          } else if (values.contains(v)) {
            error(item, path, "lists " + v + " twice");
          } else {
            values.add(v);
          }
        }
        if (var.equals("seed")) {
          for (String v : values) {
            try {
              seeds.add(Long.parseLong(v));
            } catch (NumberFormatException notALong) {
              error(list, path, "seeds are integers, not " + v);
            }
          }
        } else {
          matrix.put(var, values);
        }
      }
    }

    private void readSeed(Node value) {
      Object v = value instanceof ScalarNode ? yaml.scalar((ScalarNode) value) : null;
      if (v instanceof Integer || v instanceof Long) {
        seed = ((Number) v).longValue();
      } else if (v instanceof BigInteger) {
        error(value, "pipeline.seed", "out of range of a 64-bit integer: " + v);
      } else {
        error(value, "pipeline.seed", "must be an integer, not " + yaml.describe(value));
      }
    }

    private void readTransforms(Node value) throws SpecException {
      if (!(value instanceof SequenceNode)) {
        error(
            value,
            "pipeline.transforms",
            "must be a list of transforms, not " + yaml.describe(value));
        return;
      }
      List<Node> items = ((SequenceNode) value).getValue();
      if (items.isEmpty()) {
        error(value, "pipeline.transforms", "is empty: a pipeline needs at least one transform");
      }
      for (int i = 0; i < items.size(); i++) {
        Node item = items.get(i);
        if (item instanceof MappingNode) {
          transforms.add(readTransform(i, (MappingNode) item));
        } else {
          error(
              item,
              "pipeline.transforms[" + i + "]",
              "a transform is a map with type, name, input and config, not " + yaml.describe(item));
        }
      }
    }

    private TransformSpec readTransform(int index, MappingNode node) throws SpecException {
      SourceLocation at = yaml.at(node);
      String path = "pipeline.transforms[" + index + "]";
      TransformSpec.Builder b =
          TransformSpec.builder()
              .setIndex(index)
              .setLocation(at)
              .setTypeLocation(at)
              .setNameLocation(at)
              .setInputLocation(at);
      Set<String> given = new LinkedHashSet<>();
      Set<String> malformed = new LinkedHashSet<>();
      for (NodeTuple e : yaml.entries(node)) {
        String key = YamlReader.keyText(e);
        Node value = e.getValueNode();
        String keyPath = path + "." + key;
        given.add(key);
        switch (key) {
          case "type":
          case "name":
            String text = identifier(value);
            if (text == null) {
              malformed.add(key);
              error(value, keyPath, "must be a non-empty string, not " + yaml.describe(value));
            } else if (key.equals("type")) {
              b.setType(text).setTypeLocation(yaml.at(value));
            } else {
              b.setName(text).setNameLocation(yaml.at(value));
            }
            break;
          case "input":
            b.setInputLocation(yaml.at(e.getKeyNode()));
            if (!readInputs(value, keyPath, b)) {
              malformed.add(key);
            }
            break;
          case "config":
            if (!readConfig(value, keyPath, b)) {
              malformed.add(key);
            }
            break;
          default:
            unknownKey(e, keyPath, TRANSFORM_KEYS);
        }
      }
      for (String required : List.of("type", "name")) {
        if (!given.contains(required)) {
          malformed.add(required);
          error(node, path + "." + required, "missing: every transform needs a " + required);
        }
      }
      return b.setMalformed(Set.copyOf(malformed)).build();
    }

    /** Reads {@code input}; false if it had to skip something malformed. */
    private boolean readInputs(Node value, String keyPath, TransformSpec.Builder b) {
      List<String> names = new ArrayList<>();
      List<SourceLocation> locations = new ArrayList<>();
      boolean ok = true;
      if (value instanceof SequenceNode) {
        b.setInputIsList(true);
        List<Node> items = ((SequenceNode) value).getValue();
        for (int i = 0; i < items.size(); i++) {
          String name = identifier(items.get(i));
          if (name == null) {
            ok = false;
            error(
                items.get(i),
                keyPath + "[" + i + "]",
                "must be a transform name, not " + yaml.describe(items.get(i)));
          } else {
            names.add(name);
            locations.add(yaml.at(items.get(i)));
          }
        }
      } else if (isNull(value)) {
        // "input:" with nothing after it: no inputs, as if the key were absent
      } else {
        String name = identifier(value);
        if (name == null) {
          error(
              value,
              keyPath,
              "must be a transform name or a list of them, not " + yaml.describe(value));
          return false;
        }
        names.add(name);
        locations.add(yaml.at(value));
      }
      b.setInputs(List.copyOf(names)).setInputLocations(List.copyOf(locations));
      return ok;
    }

    /** Reads {@code config}; false if it is not a map. */
    private boolean readConfig(Node value, String keyPath, TransformSpec.Builder b)
        throws SpecException {
      if (isNull(value)) {
        return true; // "config:" with nothing after it
      }
      if (!(value instanceof MappingNode)) {
        error(value, keyPath, "must be a map of keys to values, not " + yaml.describe(value));
        return false;
      }
      Map<String, Object> config = new LinkedHashMap<>();
      Map<String, SourceLocation> locations = new LinkedHashMap<>();
      for (NodeTuple e : yaml.entries((MappingNode) value)) {
        String key = YamlReader.keyText(e);
        config.put(key, yaml.toValue(e.getValueNode()));
        locations.put(key, yaml.at(e.getKeyNode()));
      }
      // Not Map.copyOf: YAML allows null values ("rate: ~"), which the schema then reports.
      b.setConfig(Collections.unmodifiableMap(config))
          .setConfigLocations(Collections.unmodifiableMap(locations));
      return true;
    }

    /**
     * {@code plugins}: a folder, or a list of folders and of JARs pinned by digest ({@code {path:
     * vendor/x.jar, sha256: HEX}}; the JAR's folder is then a plugin folder too).
     */
    private void readPlugins(Node value) {
      if (isNull(value)) {
        return;
      }
      if (value instanceof SequenceNode) {
        List<Node> items = ((SequenceNode) value).getValue();
        for (int i = 0; i < items.size(); i++) {
          Node item = items.get(i);
          if (item instanceof MappingNode) {
            readPinnedJar((MappingNode) item, "plugins[" + i + "]");
          } else {
            readPluginDir(item, "plugins[" + i + "]");
          }
        }
      } else if (value instanceof ScalarNode) {
        readPluginDir(value, "plugins");
      } else {
        error(value, "plugins",
            "must be a folder or a list of folders and {path: JAR, sha256: HEX}, not " + yaml.describe(value));
      }
    }

    private void readPluginDir(Node value, String keyPath) {
      Path dir = pluginPath(value, keyPath, "a folder");
      if (dir != null && !pluginDirs.contains(dir)) {
        pluginDirs.add(dir);
      }
    }

    /** {@code {path: vendor/x.jar, sha256: HEX}}: a JAR that must have that digest. */
    private void readPinnedJar(MappingNode node, String keyPath) {
      Path jar = null;
      String sha256 = null;
      boolean sawPath = false;
      boolean sawDigest = false;
      for (NodeTuple e : yaml.entries(node)) {
        String key = YamlReader.keyText(e);
        Node v = e.getValueNode();
        if (key.equals("path")) {
          sawPath = true;
          jar = pluginPath(v, keyPath + ".path", "a JAR file");
          if (jar != null && !jar.getFileName().toString().endsWith(".jar")) {
            error(v, keyPath + ".path", "a pinned plugin is a .jar file, not " + yaml.describe(v));
            jar = null;
          }
        } else if (key.equals("sha256")) {
          sawDigest = true;
          String hex = v instanceof ScalarNode && !isNull(v) ? ((ScalarNode) v).getValue().strip() : "";
          if (hex.matches("[0-9A-Fa-f]{64}")) {
            sha256 = hex.toLowerCase(java.util.Locale.ROOT);
          } else {
            error(v, keyPath + ".sha256", "must be 64 hex digits (what sha256sum prints), not " + yaml.describe(v));
          }
        } else {
          unknownKey(e, keyPath + "." + key, List.of("path", "sha256"));
        }
      }
      if (!sawPath || !sawDigest) {
        error(node, keyPath + (sawPath ? ".sha256" : ".path"),
            "missing: a pinned plugin needs path (its JAR) and sha256 (its digest)");
      }
      if (jar == null || sha256 == null) {
        return;
      }
      for (PinnedPlugin p : pinned) {
        if (p.jar().equals(jar) && !p.sha256().equals(sha256)) {
          error(node, keyPath, jar + " is pinned twice, to different digests (first at line " + p.location().line() + ")");
          return;
        }
      }
      pinned.add(new PinnedPlugin(jar, sha256, yaml.at(node)));
      if (!pluginDirs.contains(jar.getParent())) {
        pluginDirs.add(jar.getParent());
      }
    }

    /** A path of {@code plugins}, absolute against the spec's folder; null (and an error) if it is not one. */
    private Path pluginPath(Node value, String keyPath, String what) {
      String text = identifier(value);
      if (text == null) {
        error(value, keyPath, "must be " + what + ", not " + yaml.describe(value));
        return null;
      }
      try {
        Path folder = file.toAbsolutePath().getParent();
        Path p = Path.of(text);
        return (folder == null ? p.toAbsolutePath() : folder.resolve(p)).normalize();
      } catch (InvalidPathException e) {
        error(value, keyPath, "not a valid path: " + e.getReason());
        return null;
      }
    }

    /** A scalar's text if it is a non-empty, non-null scalar; YAML's {@code 2024} names "2024". */
    private static String identifier(Node node) {
      if (!(node instanceof ScalarNode) || isNull(node)) {
        return null;
      }
      String text = ((ScalarNode) node).getValue();
      return text.isEmpty() ? null : text;
    }

    private static boolean isNull(Node node) {
      return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    private void unknownKey(NodeTuple e, String keyPath, List<String> known) {
      String key = YamlReader.keyText(e);
      error(
          e.getKeyNode(),
          keyPath,
          "unknown key (known: " + String.join(", ", known) + ")" + Names.suggestion(key, known));
    }

    private void error(Node at, String keyPath, String message) {
      errors.add(SpecError.create(yaml.at(at), keyPath, message));
    }
  }
}
