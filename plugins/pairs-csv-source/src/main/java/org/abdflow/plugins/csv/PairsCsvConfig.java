package org.abdflow.plugins.csv;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.Map;
import org.abdflow.api.Nullable;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** The config of {@link PairsCsvSource}. */
@AutoValue
public abstract class PairsCsvConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addRequiredPath("csv", "CSV file with a header row; image paths in it are relative to its folder")
          .addString("imageColumn", "image", "header name of the image-path column")
          .addString("captionColumn", "caption", "header name of the caption column")
          .addOptionalString("labelColumn", "header name of an integer class-label column (empty cell = no label)")
          .addString("delimiter", ",", "field delimiter, one ASCII character (\"\\t\" for TSV)")
          .addInt("resize", 0, 0, 4096, "side of the square the images are resized to (resizeFilter, aspect not kept); 0 keeps each image's size")
          .addEnum("resizeFilter", "bilinear", org.abdflow.api.image.Resize.FILTERS,
              "filter of that resize: bilinear, or bicubic as Pillow (the reference poisoning scripts resize to 224 with it before the trigger)")
          .addOptionalInt("limit", 0, null, "read only the first N rows")
          .addInt("splitSize", 1000, 1, null, "rows per split (unit of parallel reading)")
          .addInt("maxMegapixels", 64, 1, 700, "images whose header declares more pixels than this many millions are dead-lettered before decoding")
          .build();

  public abstract String csv();

  public abstract String imageColumn();

  public abstract String captionColumn();

  @Nullable
  public abstract String labelColumn();

  public abstract char delimiter();

  public abstract int resize();

  @Nullable
  public abstract Integer limit();

  public abstract int splitSize();

  /** The filter of {@link #resize()}: bilinear or bicubic. */
  public abstract String resizeFilter();

  /** Images declaring more pixels than this many millions are refused before decoding. */
  public abstract int maxMegapixels();

  /** Builds and checks a config; a {@link ConfigException} names the key at fault. */
  public static PairsCsvConfig from(ConfigValues v) {
    String csv = nonBlank(v, "csv");
    String image = nonBlank(v, "imageColumn").strip();
    String caption = nonBlank(v, "captionColumn").strip();
    String label = v.has("labelColumn") ? nonBlank(v, "labelColumn").strip() : null;
    if (image.equals(caption)) {
      throw new ConfigException("captionColumn", "is the same column as imageColumn ('" + image + "')");
    }
    if (label != null && (label.equals(image) || label.equals(caption))) {
      throw new ConfigException("labelColumn", "is the same column as " + (label.equals(image) ? "imageColumn" : "captionColumn"));
    }
    String d = v.getString("delimiter");
    if ("\\t".equals(d) || "tab".equalsIgnoreCase(d)) {
      d = "\t";
    }
    if (d.length() != 1 || d.charAt(0) > 127 || d.charAt(0) == '"' || d.charAt(0) == '\n' || d.charAt(0) == '\r') {
      throw new ConfigException("delimiter", "must be one ASCII character other than a quote or line break, got '" + d + "'");
    }
    return new AutoValue_PairsCsvConfig(csv, image, caption, label, d.charAt(0), v.getInt("resize"),
        v.has("limit") ? v.getInt("limit") : null, v.getInt("splitSize"), v.getString("resizeFilter"),
        v.getInt("maxMegapixels"));
  }

  /** Builds a config from a raw spec map (as YAML gives it). */
  public static PairsCsvConfig from(Map<String, ?> raw) {
    return from(SCHEMA.parse(raw));
  }

  private static String nonBlank(ConfigValues v, String key) {
    String s = v.getString(key);
    if (s.isBlank()) {
      throw new ConfigException(key, "is empty");
    }
    return s;
  }
}
