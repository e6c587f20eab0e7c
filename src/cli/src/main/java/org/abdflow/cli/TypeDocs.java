package org.abdflow.cli;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.abdflow.api.AbdflowExtension;
import org.abdflow.api.Loss;
import org.abdflow.api.Metric;
import org.abdflow.api.config.ConfigKey;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigType;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.plugins.PluginRegistry.LoadedExtension;
import org.abdflow.engine.stages.StageCatalog;
import org.abdflow.engine.stages.StageType;

/**
 * What a user can know of each type from its config schema, for {@code abdflow plugins describe}
 * (text) and {@code abdflow plugins reference} (Markdown): its kind, the plugin it comes from, its
 * one-line description, its keys and a minimal spec entry that uses it.
 */
final class TypeDocs {
  private TypeDocs() {}

  /** How kinds are ordered in the reference and named to users. */
  private static final List<String> KIND_ORDER =
      List.of("engine stage", "source", "attack", "augmenter", "artifact generator", "loss", "metric", "sink");

  /**
   * One type. {@code pluginId} is null for the engine's own stages; {@code minInputs} is -1 for
   * extensions that are named inside a stage's config (losses, metrics) rather than used as a
   * transform.
   */
  record Doc(String type, String kind, String pluginId, String pluginVersion, Path jar, String description, ConfigSchema schema,
      int minInputs, int maxInputs) {
    boolean isTransform() {
      return minInputs >= 0;
    }
  }

  /** Every type of the catalog and every extension named inside configs, by kind then type. */
  static List<Doc> all(StageCatalog catalog) {
    PluginRegistry registry = catalog.registry();
    List<Doc> docs = new ArrayList<>();
    for (Map.Entry<String, StageType> e : catalog.stages().entrySet()) {
      StageType s = e.getValue();
      Optional<LoadedExtension> ext = registry.find(e.getKey());
      docs.add(new Doc(s.type(), ext.map(TypeDocs::kind).orElse("engine stage"), ext.map(LoadedExtension::pluginId).orElse(null),
          ext.map(LoadedExtension::pluginVersion).orElse(null), ext.map(LoadedExtension::pluginPath).orElse(null), s.description(),
          s.schema(), s.minInputs(), s.maxInputs()));
    }
    for (LoadedExtension l : registry.extensions().values()) {
      if (catalog.stages().containsKey(l.extension().type())) {
        continue;
      }
      AbdflowExtension<?> x = l.extension();
      docs.add(new Doc(x.type(), kind(l), l.pluginId(), l.pluginVersion(), l.pluginPath(), x.description(), x.configSchema(), -1, -1));
    }
    docs.sort(Comparator.comparingInt((Doc d) -> kindRank(d.kind())).thenComparing(Doc::type));
    return List.copyOf(docs);
  }

  private static int kindRank(String kind) {
    int i = KIND_ORDER.indexOf(kind);
    return i < 0 ? KIND_ORDER.size() : i;
  }

  /** "attack", "artifact generator": the extension point's name as words. */
  static String kind(LoadedExtension l) {
    return l.kind().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  /** "takes exactly 1 input", as validation says it. */
  static String inputs(Doc d) {
    if (!d.isTransform()) {
      return "none: named inside a stage's config (" + host(d).orElse("see its stage") + ")";
    }
    int min = d.minInputs();
    int max = d.maxInputs();
    if (max == 0) {
      return "none (it starts a pipeline)";
    } else if (min == max) {
      return "exactly " + min;
    } else if (max == Integer.MAX_VALUE) {
      return "at least " + min;
    }
    return min + " to " + max;
  }

  /** Where a loss or metric is named, for its example. */
  private static Optional<String> host(Doc d) {
    if (d.kind().equals(kindName(Loss.class))) {
      return Optional.of("a Train stage's losses");
    } else if (d.kind().equals(kindName(Metric.class))) {
      return Optional.of("a ZeroShotEval stage's metrics");
    }
    return Optional.empty();
  }

  private static String kindName(Class<?> extensionPoint) {
    return extensionPoint.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  /** The key's type without its range: "integer", "one of". */
  static String type(ConfigKey k) {
    return k.type() == ConfigType.ENUM ? "enum" : k.type().label();
  }

  /** "required", "optional" (no default) or the default as a spec would write it. */
  static String dflt(ConfigKey k) {
    if (k.required()) {
      return "required";
    }
    if (k.defaultValue() == null) {
      return "optional";
    }
    return value(k.defaultValue());
  }

  private static String value(Object v) {
    if (v instanceof Double d) {
      String s = Double.toString(d);
      return s.contains("E") ? new BigDecimal(s).stripTrailingZeros().toPlainString() : s;
    }
    if (v instanceof Collection<?> c) {
      List<String> items = new ArrayList<>();
      c.forEach(o -> items.add(value(o)));
      return "[" + String.join(", ", items) + "]";
    }
    return String.valueOf(v);
  }

  /** The allowed values of an enum, or the inclusive range of a number; empty when anything goes. */
  static String allowed(ConfigKey k) {
    if (k.type() == ConfigType.ENUM) {
      return String.join(", ", k.allowed());
    }
    boolean integral = k.type() == ConfigType.INT || k.type() == ConfigType.LONG;
    String min = bound(k.min(), integral);
    String max = bound(k.max(), integral);
    if (min != null && max != null) {
      return "[" + min + ", " + max + "]";
    } else if (min != null) {
      return "≥ " + min;
    } else if (max != null) {
      return "≤ " + max;
    }
    return "";
  }

  private static String bound(Double d, boolean integral) {
    if (d == null || d.isInfinite() || (integral && (d >= Integer.MAX_VALUE || d <= Integer.MIN_VALUE))) {
      return null;
    }
    return integral && d == Math.rint(d) ? String.valueOf(d.longValue()) : value(d);
  }

  /** A minimal spec entry using the type: its required keys as {@code <key>} placeholders. */
  static String example(Doc d) {
    StringBuilder sb = new StringBuilder();
    if (!d.isTransform()) {
      String entry = requiredKeys(d.schema()).isEmpty() ? d.type() : "{type: " + d.type() + ", config: " + flowConfig(d.schema()) + "}";
      if (d.kind().equals(kindName(Metric.class))) {
        sb.append("- type: ZeroShotEval\n  name: eval\n  input: [<model>, <test-records>]\n  config:\n    metrics: [").append(entry)
            .append("]\n");
      } else {
        sb.append("- type: Train\n  name: train\n  input: <records>\n  config:\n    losses: [").append(entry).append("]\n");
      }
      return sb.toString();
    }
    sb.append("- type: ").append(d.type()).append('\n');
    sb.append("  name: ").append(d.type().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")).append('\n');
    if (d.minInputs() == 1) {
      sb.append("  input: <input>\n");
    } else if (d.minInputs() > 1) {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= d.minInputs(); i++) {
        names.add("<input" + i + ">");
      }
      sb.append("  input: [").append(String.join(", ", names)).append("]\n");
    }
    List<ConfigKey> required = requiredKeys(d.schema());
    if (!required.isEmpty()) {
      sb.append("  config:\n");
      for (ConfigKey k : required) {
        sb.append("    ").append(k.name()).append(": ").append(placeholder(k)).append('\n');
      }
    }
    return sb.toString();
  }

  private static List<ConfigKey> requiredKeys(ConfigSchema schema) {
    return schema.keys().stream().filter(ConfigKey::required).toList();
  }

  private static String flowConfig(ConfigSchema schema) {
    List<String> entries = new ArrayList<>();
    for (ConfigKey k : requiredKeys(schema)) {
      entries.add(k.name() + ": " + placeholder(k));
    }
    return "{" + String.join(", ", entries) + "}";
  }

  private static String placeholder(ConfigKey k) {
    return switch (k.type()) {
      case ENUM -> k.allowed().get(0);
      case STRING_LIST, EXTENSION_LIST -> "[<" + k.name() + ">]";
      default -> "<" + k.name() + ">";
    };
  }

  /** The type's page for the terminal: kind, origin, description, inputs, the key table and an example. */
  static String describe(Doc d) {
    StringBuilder sb = new StringBuilder();
    sb.append(d.type()).append("  (").append(d.kind()).append(")\n");
    sb.append("  ").append(d.description()).append("\n\n");
    if (d.pluginId() == null) {
      sb.append("  plugin   none: built into the engine\n");
    } else {
      sb.append("  plugin   ").append(d.pluginId()).append(' ').append(d.pluginVersion()).append('\n');
      sb.append("  JAR      ").append(d.jar()).append('\n');
    }
    sb.append("  inputs   ").append(inputs(d)).append("\n\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"KEY", "TYPE", "DEFAULT", "ALLOWED", "DESCRIPTION"});
    for (ConfigKey k : d.schema().keys()) {
      rows.add(new String[] {k.name(), type(k), dflt(k), allowed(k), k.description()});
    }
    if (rows.size() == 1) {
      sb.append("  no config keys\n");
    } else {
      int[] width = new int[4];
      for (String[] r : rows) {
        for (int i = 0; i < width.length; i++) {
          width[i] = Math.max(width[i], Math.min(r[i].length(), i == 2 ? 24 : 34));
        }
      }
      for (String[] r : rows) {
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < width.length; i++) {
          line.append(String.format(Locale.ROOT, "%-" + width[i] + "s  ", r[i]));
        }
        sb.append(line.append(r[4]).toString().stripTrailing()).append('\n');
      }
    }
    sb.append("\nA minimal spec entry (required keys as <placeholders>):\n\n");
    example(d).lines().forEach(l -> sb.append("  ").append(l).append('\n'));
    return sb.toString();
  }

  /** The Markdown reference of every type. */
  static String reference(List<Doc> docs) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Spec reference\n\n");
    sb.append("Every `type` a spec can use, from the config schemas of the engine's stages and of the plugin JARs the\n"
        + "build puts in `target/plugins`. Generated by `./abdflow plugins reference --output pipelines/spec-reference.md`;\n"
        + "do not edit it by hand (`SpecReferenceTest` fails when it is stale). `./abdflow plugins describe TYPE` shows one\n"
        + "type in the terminal, with the plugins of `--plugins DIR` too.\n\n");
    sb.append("A relative `path` is read from the spec's folder. In the examples, `<key>` stands for a value to fill in.\n\n");
    String kind = null;
    for (Doc d : docs) {
      if (!d.kind().equals(kind)) {
        kind = d.kind();
        sb.append(kind.equals(docs.get(0).kind()) ? "" : "\n").append("- ").append(plural(kind)).append(": ");
      } else {
        sb.append(", ");
      }
      sb.append('[').append(d.type()).append("](#").append(d.type().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "")).append(')');
    }
    sb.append("\n");
    for (Doc d : docs) {
      sb.append("\n## ").append(d.type()).append("\n\n");
      sb.append(md(d.description())).append("\n\n");
      sb.append('*').append(d.kind()).append("* · ");
      sb.append(d.pluginId() == null ? "built into the engine"
          : "plugin `" + d.pluginId() + "` " + d.pluginVersion() + " (`" + d.jar().getFileName() + "`)");
      sb.append(" · inputs: ").append(inputs(d)).append("\n\n");
      if (d.schema().keys().isEmpty()) {
        sb.append("No config keys.\n\n");
      } else {
        sb.append("| key | type | default | allowed | description |\n|---|---|---|---|---|\n");
        for (ConfigKey k : d.schema().keys()) {
          sb.append("| `").append(k.name()).append("` | ").append(md(type(k))).append(" | ")
              .append(k.required() || k.defaultValue() == null ? dflt(k) : "`" + md(dflt(k)) + "`").append(" | ")
              .append(md(allowed(k))).append(" | ").append(md(k.description())).append(" |\n");
        }
        sb.append('\n');
      }
      sb.append("```yaml\n").append(example(d)).append("```\n");
    }
    return sb.toString();
  }

  private static String plural(String kind) {
    String words = kind.endsWith("s") ? kind + "es" : kind + "s";
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  /** Table-safe Markdown: pipes escaped, no line breaks. */
  private static String md(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
