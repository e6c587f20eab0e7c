package org.abdflow.engine.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML as plain data only. It composes the node tree (which keeps every node's line) and
 * never runs a constructor on it: no Java type is ever built from a tag. A document is refused if
 * it has a tag other than the core ones, a duplicate key or recursive anchors.
 */
final class YamlReader {
  /** Values one document may expand to through aliases, against "billion laughs" documents. */
  static final int MAX_VALUES = 1_000_000;

  /** Characters one spec may hold: a spec is a few KB, so anything near this is not a spec. */
  static final int MAX_CODE_POINTS = 4 << 20;

  private static final Set<Tag> SCALAR_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP, Tag.MERGE);

  private final Path file;
  // Only their scalar constructs are used, to resolve numbers and booleans exactly as SnakeYAML's
  // safe loader does (1_000, 0x1F, 012, 1:30, .inf, yes/no); they build only boxed JDK values.
  private final AbstractConstruct ints;
  private final AbstractConstruct floats;
  private final AbstractConstruct bools;
  private final Map<MappingNode, List<NodeTuple>> entries = new IdentityHashMap<>();
  private int values;

  YamlReader(Path file) {
    this.file = file;
    SafeConstructor constructor = new SafeConstructor(new LoaderOptions());
    this.ints = constructor.new ConstructYamlInt();
    this.floats = constructor.new ConstructYamlFloat();
    this.bools = constructor.new ConstructYamlBool();
  }

  /**
   * The document's root node, or an exception listing every syntax error, foreign tag, duplicate
   * key and recursive anchor.
   */
  Node compose(String yaml) throws SpecException {
    // Counted here rather than left to SnakeYAML's limit, so the message says what the limit is for.
    if (yaml.length() > MAX_CODE_POINTS && yaml.codePointCount(0, yaml.length()) > MAX_CODE_POINTS) {
      throw new SpecException(
          SpecError.create(
              start(),
              "",
              "the spec is longer than " + MAX_CODE_POINTS + " characters; a spec is a few KB of"
                  + " YAML (is this the right file?)"));
    }
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowRecursiveKeys(false);
    options.setProcessComments(false);
    // Composing builds Nodes only, so a tag is harmless here; check() refuses every non-core tag,
    // and letting them through lets it report all of them at once rather than the first.
    options.setTagInspector(tag -> true);
    Node root;
    try {
      String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
      root =
          new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options)
              .getSingleNode();
    } catch (MarkedYAMLException e) {
      throw new SpecException(syntaxError(e));
    } catch (YAMLException e) {
      throw new SpecException(SpecError.create(start(), "", e.getMessage()));
    }
    if (root == null) {
      throw new SpecException(SpecError.create(start(), "", "the spec is empty"));
    }
    List<SpecError> errors = new ArrayList<>();
    check(root, "", identitySet(), identitySet(), errors);
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparingInt(SpecError::line).thenComparingInt(SpecError::column));
      throw new SpecException(errors);
    }
    return root;
  }

  /** Where a node starts. */
  SourceLocation at(Node node) {
    return at(node.getStartMark());
  }

  /** A mapping's entries with merge keys ({@code <<: *defaults}) applied, explicit keys winning. */
  List<NodeTuple> entries(MappingNode map) {
    List<NodeTuple> cached = entries.get(map);
    if (cached != null) {
      return cached;
    }
    Map<String, NodeTuple> explicit = new LinkedHashMap<>();
    List<Node> mergeSources = new ArrayList<>();
    for (NodeTuple t : map.getValue()) {
      if (isMerge(t)) {
        Node v = t.getValueNode();
        if (v instanceof SequenceNode) {
          mergeSources.addAll(((SequenceNode) v).getValue());
        } else {
          mergeSources.add(v);
        }
      } else {
        explicit.put(keyText(t), t);
      }
    }
    // Merged keys first, earlier sources winning: the order and precedence SnakeYAML gives.
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (Node source : mergeSources) {
      for (NodeTuple t : entries((MappingNode) source)) {
        if (!explicit.containsKey(keyText(t))) {
          out.putIfAbsent(keyText(t), t);
        }
      }
    }
    out.putAll(explicit);
    List<NodeTuple> result = List.copyOf(out.values());
    entries.put(map, result);
    return result;
  }

  /** A mapping key's text (check() made sure keys are scalars). */
  static String keyText(NodeTuple t) {
    return ((ScalarNode) t.getKeyNode()).getValue();
  }

  /**
   * The node as plain Java data: Integer/Long/BigInteger, Double, Boolean, String, null, and
   * unmodifiable insertion-ordered List and Map with String keys.
   */
  Object toValue(Node node) throws SpecException {
    if (++values > MAX_VALUES) {
      throw new SpecException(
          SpecError.create(
              at(node),
              "",
              "the document expands to over " + MAX_VALUES + " values through aliases"));
    }
    if (node instanceof ScalarNode) {
      return scalar((ScalarNode) node);
    }
    if (node instanceof SequenceNode) {
      List<Object> list = new ArrayList<>();
      for (Node item : ((SequenceNode) node).getValue()) {
        list.add(toValue(item));
      }
      return Collections.unmodifiableList(list);
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (NodeTuple t : entries((MappingNode) node)) {
      map.put(keyText(t), toValue(t.getValueNode()));
    }
    return Collections.unmodifiableMap(map);
  }

  /** A scalar's value by its resolved tag; check() made sure the conversion succeeds. */
  Object scalar(ScalarNode node) {
    Tag tag = node.getTag();
    if (tag.equals(Tag.NULL)) {
      return null;
    } else if (tag.equals(Tag.BOOL)) {
      Object b = bools.construct(node);
      if (b == null) {
        throw new IllegalArgumentException("not a boolean");
      }
      return b;
    } else if (tag.equals(Tag.INT)) {
      return ints.construct(node);
    } else if (tag.equals(Tag.FLOAT)) {
      return floats.construct(node);
    }
    // Timestamps stay text: a spec has no use for java.util.Date.
    return node.getValue();
  }

  /** How a node reads in a message: {@code "text"}, {@code 3}, {@code null}, a list, a map. */
  String describe(Node node) {
    if (node instanceof SequenceNode) {
      return "a list";
    } else if (node instanceof MappingNode) {
      return "a map";
    }
    ScalarNode s = (ScalarNode) node;
    if (s.getTag().equals(Tag.NULL)) {
      return "nothing";
    }
    Object v;
    try {
      v = scalar(s);
    } catch (RuntimeException e) {
      v = s.getValue(); // an invalid "!!int x", described while reporting another error
    }
    return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
  }

  private void check(
      Node node, String path, Set<Node> onPath, Set<Node> done, List<SpecError> errors) {
    if (onPath.contains(node)) {
      errors.add(
          SpecError.create(
              at(node), path, "an alias refers to a node that contains it (recursive data)"));
      return;
    }
    if (!done.add(node)) {
      return; // an alias of a node already checked
    }
    Tag tag = node.getTag();
    if (node instanceof ScalarNode) {
      if (!SCALAR_TAGS.contains(tag)) {
        errors.add(foreignTag(node, path));
        return;
      }
      try {
        scalar((ScalarNode) node);
      } catch (RuntimeException e) {
        errors.add(
            SpecError.create(
                at(node),
                path,
                "\"" + ((ScalarNode) node).getValue() + "\" is not a valid " + show(tag)));
      }
      return;
    }
    if (node instanceof SequenceNode ? !tag.equals(Tag.SEQ) : !tag.equals(Tag.MAP)) {
      errors.add(foreignTag(node, path));
      return;
    }
    onPath.add(node);
    if (node instanceof SequenceNode) {
      List<Node> items = ((SequenceNode) node).getValue();
      for (int i = 0; i < items.size(); i++) {
        check(items.get(i), path + "[" + i + "]", onPath, done, errors);
      }
    } else {
      checkMapping((MappingNode) node, path, onPath, done, errors);
    }
    onPath.remove(node);
  }

  private void checkMapping(
      MappingNode map, String path, Set<Node> onPath, Set<Node> done, List<SpecError> errors) {
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple t : map.getValue()) {
      Node key = t.getKeyNode();
      if (!(key instanceof ScalarNode)) {
        errors.add(
            SpecError.create(at(key), path, "a key must be a plain value, not " + describe(key)));
        continue;
      }
      String name = ((ScalarNode) key).getValue();
      String keyPath = path.isEmpty() ? name : path + "." + name;
      if (!SCALAR_TAGS.contains(key.getTag())) {
        errors.add(foreignTag(key, keyPath));
        continue;
      }
      Node first = seen.putIfAbsent(name, key);
      if (first != null) {
        errors.add(
            SpecError.create(
                at(key), keyPath, "duplicate key (first given at line " + at(first).line() + ")"));
        continue;
      }
      Node value = t.getValueNode();
      if (isMerge(t) && !isMergeSource(value)) {
        errors.add(
            SpecError.create(
                at(value), keyPath, "<< merges a map or a list of maps, not " + describe(value)));
        continue;
      }
      check(value, keyPath, onPath, done, errors);
    }
  }

  private static boolean isMerge(NodeTuple t) {
    return t.getKeyNode().getTag().equals(Tag.MERGE);
  }

  private static boolean isMergeSource(Node value) {
    if (value instanceof MappingNode) {
      return true;
    }
    if (!(value instanceof SequenceNode)) {
      return false;
    }
    for (Node item : ((SequenceNode) value).getValue()) {
      if (!(item instanceof MappingNode)) {
        return false;
      }
    }
    return true;
  }

  private SpecError foreignTag(Node node, String path) {
    return SpecError.create(
        at(node),
        path,
        "tag "
            + show(node.getTag())
            + " is not allowed: a spec holds plain strings, numbers, booleans, lists and maps");
  }

  private static String show(Tag tag) {
    String v = tag.getValue();
    return v.startsWith(Tag.PREFIX) ? "!!" + v.substring(Tag.PREFIX.length()) : v;
  }

  private SpecError syntaxError(MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String message = e.getProblem() != null ? e.getProblem() : "invalid YAML";
    if (e.getContext() != null) {
      Mark context = e.getContextMark();
      message +=
          " ("
              + e.getContext()
              + (context != null && mark != null && context.getLine() != mark.getLine()
                  ? " started at line " + (context.getLine() + 1)
                  : "")
              + ")";
    }
    return SpecError.create(mark == null ? start() : at(mark), "", message);
  }

  private SourceLocation at(Mark mark) {
    return SourceLocation.of(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  private SourceLocation start() {
    return SourceLocation.of(file, 1, 1);
  }

  private static Set<Node> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }
}
