package org.abdflow.plugins.imagefolder;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.abdflow.api.Nullable;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** The config of {@link ImageFolderSource}. */
@AutoValue
public abstract class ImageFolderConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How the images and their classes are laid out under the root. */
  public enum Layout {
    /** {@code labels.csv} if the root holds one, class folders otherwise. */
    AUTO,
    /** ImageNet-style {@code root/<class>/<image>}; label = index of the folder in sorted order. */
    FOLDERS,
    /** CleanCLIP's ImageNet validation folder: {@code root/labels.csv} with columns {@code image,label}. */
    LABELS_CSV
  }

  /** How records get their captions. */
  public enum Captions {
    /** One prompt template per record, drawn with a per-record seed, filled with the class name. */
    TEMPLATE,
    /** Empty captions. */
    NONE
  }

  /** The {@code classNames} value that names CLIP's curated ImageNet class names. */
  public static final String IMAGENET = "imagenet";

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addRequiredPath("root", "folder of class folders (root/<class>/<image>) or of labels.csv and its images")
          .addOptionalString("classNames",
              "text file, one class name per line, line i = label i, or imagenet: CLIP's 1,000 curated ImageNet names "
                  + "(for ImageNet's sorted wnid folders); without it the folder names, with _ read as a space")
          .addEnum("layout", "auto", List.of("auto", "folders", "labels-csv"),
              "folders: root/<class>/<image>; labels-csv: root/labels.csv (image,label); auto: labels-csv if root/labels.csv exists")
          .addStringList("templates", List.of("simple"), "prompt templates with {} for the class name, or the named set simple")
          .addEnum("captions", "template", List.of("template", "none"),
              "template: one template per record, drawn with a per-record seed; none: empty captions")
          .addInt("resize", 0, 0, 4096, "side of the square the images are resized to (resizeFilter, aspect not kept); 0 keeps each image's size")
          .addEnum("resizeFilter", "bilinear", org.abdflow.api.image.Resize.FILTERS,
              "filter of that resize: bilinear, or bicubic as Pillow (the reference poisoning scripts resize to 224 with it before the trigger)")
          .addOptionalInt("limit", 0, null, "read only the first N images (in class-folder order, or labels.csv order)")
          .addInt("splitSize", 1000, 1, null, "images per split (unit of parallel reading)")
          .addInt("maxMegapixels", 64, 1, 700, "images whose header declares more pixels than this many millions are dead-lettered before decoding")
          .build();

  public abstract String root();

  @Nullable
  public abstract String classNames();

  public abstract Layout layout();

  /** Prompt templates, named sets resolved; each holds {@code {}}. */
  public abstract List<String> templates();

  public abstract Captions captions();

  public abstract int resize();

  @Nullable
  public abstract Integer limit();

  public abstract int splitSize();

  /** The filter of {@link #resize()}: bilinear or bicubic. */
  public abstract String resizeFilter();

  /** Images declaring more pixels than this many millions are refused before decoding. */
  public abstract int maxMegapixels();

  /** Builds and checks a config; a {@link ConfigException} names the key at fault. */
  public static ImageFolderConfig from(ConfigValues v) {
    String root = v.getString("root");
    if (root.isBlank()) {
      throw new ConfigException("root", "is empty");
    }
    String classNames = v.has("classNames") ? v.getString("classNames") : null;
    if (classNames != null && classNames.isBlank()) {
      throw new ConfigException("classNames", "is empty (leave the key out to use the folder names)");
    }
    return new AutoValue_ImageFolderConfig(root, classNames,
        Layout.valueOf(v.getString("layout").toUpperCase(Locale.ROOT).replace('-', '_')),
        templates(v.getStringList("templates")),
        Captions.valueOf(v.getString("captions").toUpperCase(Locale.ROOT)),
        v.getInt("resize"),
        v.has("limit") ? v.getInt("limit") : null,
        v.getInt("splitSize"), v.getString("resizeFilter"), v.getInt("maxMegapixels"));
  }

  /** Builds a config from a raw spec map (as YAML gives it). */
  public static ImageFolderConfig from(Map<String, ?> raw) {
    return from(SCHEMA.parse(raw));
  }

  private static List<String> templates(List<String> given) {
    if (given.isEmpty()) {
      throw new ConfigException("templates", "is empty");
    }
    if (given.size() == 1) {
      try {
        return PromptTemplates.named(given.get(0));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("templates", e.getMessage());
      }
    }
    for (String t : given) {
      if (!t.contains("{}")) {
        throw new ConfigException("templates", "template '" + t + "' has no {} for the class name");
      }
    }
    return List.copyOf(given);
  }
}
