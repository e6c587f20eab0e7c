package org.abdflow.plugins.idx;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abdflow.api.Nullable;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** The config of {@link IdxSource}: which IDX files, how to name and caption their classes. */
@AutoValue
public abstract class IdxSourceConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Fashion-MNIST's ten classes in label order, as lower-case words a caption model can read. */
  public static final List<String> FASHION_MNIST =
      List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot");

  /** MNIST's ten digits in label order, spelled out ("zero" … "nine") so captions read as words. */
  public static final List<String> MNIST =
      List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

  /** Named class-name sets a spec can give instead of a list. */
  public static final Map<String, List<String>> CLASS_NAME_SETS = Map.of("fashion-mnist", FASHION_MNIST, "mnist", MNIST);

  /** How records get their captions. */
  public enum Captions {
    /** One prompt template per record, drawn with a per-record seed, filled with the class name. */
    TEMPLATE,
    /** Empty captions (e.g. evaluation images, which the zero-shot classifier captions itself). */
    NONE
  }

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addRequiredPath("images", "IDX image file (idx3-ubyte, plain or gzipped), relative to the spec")
          .addOptionalPath("labels", "IDX label file (idx1-ubyte, plain or gzipped); without it records have no class and no caption")
          .addStringList("classNames", List.of("fashion-mnist"),
              "class names in label order, or a named set: fashion-mnist (t-shirt, trouser, …, ankle boot), mnist (zero … nine)")
          .addStringList("templates", List.of("simple"), "prompt templates with {} for the class name, or the named set simple")
          .addEnum("captions", "template", List.of("template", "none"),
              "template: one template per record, drawn with a per-record seed; none: empty captions")
          .addInt("resize", 0, 0, 4096, "side of the square the images are resized to (resizeFilter, aspect not kept); 0 keeps the file's size")
          .addEnum("resizeFilter", "bilinear", org.abdflow.api.image.Resize.FILTERS,
              "filter of that resize: bilinear, or bicubic as Pillow (the reference poisoning scripts resize to 224 with it before the trigger)")
          .addOptionalInt("limit", 0, null, "read only the first N records of the files")
          .addInt("splitSize", 1000, 1, null, "records per split (unit of parallel reading)")
          .build();

  public abstract String images();

  @Nullable
  public abstract String labels();

  /** Class names in label order, named sets resolved. */
  public abstract List<String> classNames();

  /** Prompt templates, named sets resolved; each holds {@code {}}. */
  public abstract List<String> templates();

  public abstract Captions captions();

  /** Square side to resize to; 0 keeps the size. */
  public abstract int resize();

  @Nullable
  public abstract Integer limit();

  public abstract int splitSize();

  /** The filter of {@link #resize()}: bilinear or bicubic. */
  public abstract String resizeFilter();

  /** Builds and checks a config; a {@link ConfigException} names the key at fault. */
  public static IdxSourceConfig from(ConfigValues values) {
    String images = values.getString("images");
    if (images.isBlank()) {
      throw new ConfigException("images", "is empty");
    }
    String labels = values.has("labels") ? values.getString("labels") : null;
    if (labels != null && labels.isBlank()) {
      throw new ConfigException("labels", "is empty (leave the key out for unlabelled images)");
    }
    return new AutoValue_IdxSourceConfig(
        images,
        labels,
        classNames("classNames", values.getStringList("classNames")),
        templates("templates", values.getStringList("templates")),
        Captions.valueOf(values.getString("captions").toUpperCase(java.util.Locale.ROOT)),
        values.getInt("resize"),
        values.has("limit") ? values.getInt("limit") : null,
        values.getInt("splitSize"), values.getString("resizeFilter"));
  }

  /** Builds a config from a raw spec map (as YAML gives it). */
  public static IdxSourceConfig from(Map<String, ?> raw) {
    return from(SCHEMA.parse(raw));
  }

  /** A single name is a named set; a list of two or more is the class names themselves. */
  static List<String> classNames(String key, List<String> given) {
    if (given.size() == 1) {
      List<String> named = CLASS_NAME_SETS.get(given.get(0).trim().toLowerCase(java.util.Locale.ROOT));
      if (named == null) {
        throw new ConfigException(key, "unknown class-name set '" + given.get(0)
            + "' (known: fashion-mnist, mnist; or give a list of two or more class names)"
            + org.abdflow.api.config.DidYouMean.suggestion(given.get(0).trim(), CLASS_NAME_SETS.keySet()));
      }
      return named;
    }
    if (given.isEmpty()) {
      throw new ConfigException(key, "is empty");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < given.size(); i++) {
      String name = given.get(i).trim();
      if (name.isEmpty()) {
        throw new ConfigException(key, "class name " + i + " is empty");
      }
      if (!seen.add(name)) {
        throw new ConfigException(key, "class name '" + name + "' is given twice");
      }
    }
    return given.stream().map(String::trim).collect(java.util.stream.Collectors.toUnmodifiableList());
  }

  /** A single value is a named set (simple) or one template; a list holds templates with {}. */
  static List<String> templates(String key, List<String> given) {
    if (given.isEmpty()) {
      throw new ConfigException(key, "is empty");
    }
    if (given.size() == 1) {
      try {
        return PromptTemplates.named(given.get(0));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key, e.getMessage());
      }
    }
    for (String t : given) {
      if (!t.contains("{}")) {
        throw new ConfigException(key, "template '" + t + "' has no {} for the class name");
      }
    }
    return List.copyOf(given);
  }
}
