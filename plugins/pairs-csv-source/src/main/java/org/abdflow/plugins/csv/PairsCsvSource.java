package org.abdflow.plugins.csv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.abdflow.api.Source;
import org.abdflow.api.SourceContext;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.Image;
import org.abdflow.api.image.ImageFiles;
import org.abdflow.api.image.Resize;
import org.abdflow.schema.Sample;
import org.pf4j.Extension;

/**
 * Image-caption pairs from a CSV with a header row, as CC3M and CleanCLIP keep them ({@code
 * image,caption}). Image paths are relative to the CSV's folder and may not leave it. Images are
 * decoded with {@link javax.imageio.ImageIO} to 8-bit RGB (3 channels, also for grey files).
 *
 * <p>Splits are chunks of {@code splitSize} rows, each remembering the byte offset and line where it
 * starts, so a worker reads only its own rows. A bad row (wrong number of fields, empty caption,
 * missing or corrupt image, a path leaving the folder, a malformed quoted field) goes to the dead
 * letters with its row number, line and raw text; the rest goes on. Record ids are {@code
 * <stage>/<row>}, the data row number (1 = first row after the header) zero-padded to seven digits.
 */
@Extension
public class PairsCsvSource implements Source<PairsCsvConfig> {
  private static final Pattern SPLIT = Pattern.compile("rows=(\\d+)-(\\d+),offset=(\\d+),line=(\\d+)");

  @Override
  public String type() {
    return "PairsCsvSource";
  }

  @Override
  public String description() {
    return "Image-caption pairs from a CSV (CC3M / CleanCLIP style), images relative to the CSV's folder";
  }

  @Override
  public ConfigSchema configSchema() {
    return PairsCsvConfig.SCHEMA;
  }

  @Override
  public PairsCsvConfig configure(ConfigValues values) {
    return PairsCsvConfig.from(values);
  }

  /** Reads the whole CSV once to find where each chunk of rows starts; checks the file and header. */
  @Override
  public java.util.Optional<List<Path>> inputs(PairsCsvConfig config, SourceContext context) {
    // images are refused outside the CSV's folder, so the folder holds everything the source reads
    return java.util.Optional.of(List.of(context.resolve(config.csv()).toAbsolutePath().getParent()));
  }

  @Override
  public List<String> splits(PairsCsvConfig config, SourceContext context) throws IOException {
    Path csv = csvFile(config, context);
    List<String> splits = new ArrayList<>();
    try (CsvReader reader = CsvReader.open(csv, config.delimiter())) {
      columns(config, csv, reader);
      long limit = config.limit() == null ? Long.MAX_VALUE : config.limit();
      long row = 0;
      long first = 1;
      long offset = reader.offset();
      long line = reader.line();
      while (row < limit) {
        long rowOffset = reader.offset();
        long rowLine = reader.line();
        if (reader.next() == null) {
          break;
        }
        row++;
        if ((row - 1) % config.splitSize() == 0) {
          first = row;
          offset = rowOffset;
          line = rowLine;
        }
        if (row % config.splitSize() == 0) {
          splits.add(split(first, row, offset, line));
        }
      }
      if (row % config.splitSize() != 0) {
        splits.add(split(first, row, offset, line));
      }
    }
    return splits;
  }

  private static String split(long first, long last, long offset, long line) {
    return "rows=" + first + "-" + last + ",offset=" + offset + ",line=" + line;
  }

  @Override
  public void read(String split, PairsCsvConfig config, SourceContext context, RecordEmitter out) throws IOException {
    Matcher m = SPLIT.matcher(split);
    if (!m.matches()) {
      throw new IllegalArgumentException("bad PairsCsvSource split '" + split + "' (expected rows=A-B,offset=N,line=L)");
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    Path csv = csvFile(config, context);
    Columns columns;
    try (CsvReader header = CsvReader.open(csv, config.delimiter())) {
      columns = columns(config, csv, header);
    }
    Path folder = csv.toAbsolutePath().normalize().getParent();
    try (CsvReader reader = CsvReader.open(csv, Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), config.delimiter())) {
      for (long row = first; row <= last; row++) {
        CsvReader.Row r = reader.next();
        if (r == null) {
          throw new IOException(csv + " ends before row " + row + " of split " + split + " (was it changed during the run?)");
        }
        String id = context.stage() + "/" + pad(row);
        String location = csv + ": row " + row + " (line " + r.line() + ")";
        try {
          out.emit(sample(id, r, columns, folder, config));
        } catch (BadRowException | IOException | RuntimeException e) {
          out.fail(id, location, r.raw(), e);
        }
      }
    }
  }

  private static Sample sample(String id, CsvReader.Row r, Columns columns, Path folder, PairsCsvConfig config)
      throws IOException, BadRowException {
    if (r.error() != null) {
      throw new BadRowException(r.error());
    }
    List<String> f = r.fields();
    if (f.size() != columns.count) {
      throw new BadRowException("the row has " + f.size() + " field" + (f.size() == 1 ? "" : "s") + ", the header has " + columns.count);
    }
    String caption = f.get(columns.caption).strip();
    if (caption.isEmpty()) {
      throw new BadRowException("empty caption");
    }
    int label = -1;
    if (columns.label >= 0) {
      String l = f.get(columns.label).strip();
      if (!l.isEmpty()) {
        try {
          label = Integer.parseInt(l);
        } catch (NumberFormatException e) {
          throw new BadRowException("label '" + l + "' is not an integer");
        }
        if (label < 0) {
          throw new BadRowException("label " + label + " is negative");
        }
      }
    }
    Image image = ImageFiles.read(imagePath(folder, f.get(columns.image).strip()), config.maxMegapixels() * 1_000_000L);
    if (config.resize() > 0) {
      image = Resize.square(image, config.resize(), config.resizeFilter());
    }
    return Sample.newBuilder()
        .setId(id)
        .setHeight(image.height())
        .setWidth(image.width())
        .setChannels(3)
        .setPixels(ByteBuffer.wrap(image.unsafeBytes()))
        .setCaption(caption)
        .setLabel(label)
        .setClassName(null)
        .setLineage(null)
        .build();
  }

  /** The image file of a row: relative, inside the CSV's folder (also after following links), existing. */
  static Path imagePath(Path folder, String given) throws IOException, BadRowException {
    if (given.isEmpty()) {
      throw new BadRowException("empty image path");
    }
    Path p;
    try {
      p = Path.of(given);
    } catch (InvalidPathException e) {
      throw new BadRowException("image path '" + given + "' is not a valid path: " + e.getMessage());
    }
    if (p.isAbsolute() || p.getRoot() != null || given.startsWith("/") || given.startsWith("\\")
        || given.matches("^[A-Za-z]:.*")) {
      throw new BadRowException("image path '" + given + "' is absolute; paths must be relative to the CSV's folder");
    }
    Path resolved = folder.resolve(p).normalize();
    if (!resolved.startsWith(folder)) {
      throw new BadRowException("image path '" + given + "' leaves the CSV's folder " + folder);
    }
    if (!Files.exists(resolved)) {
      throw new NoSuchFileException(resolved.toString(), null, "image file not found");
    }
    if (!resolved.toRealPath().startsWith(folder.toRealPath())) {
      throw new BadRowException("image path '" + given + "' links outside the CSV's folder " + folder);
    }
    if (!Files.isRegularFile(resolved)) {
      throw new BadRowException("image path '" + given + "' is not a regular file");
    }
    return resolved;
  }

  private static Path csvFile(PairsCsvConfig config, SourceContext context) {
    Path csv = context.resolve(config.csv());
    if (!Files.isRegularFile(csv)) {
      throw new ConfigException("csv", (Files.exists(csv) ? "not a regular file: " : "no such file: ") + csv);
    }
    return csv;
  }

  /** Reads the header row and finds the configured columns in it. */
  private static Columns columns(PairsCsvConfig config, Path csv, CsvReader reader) throws IOException {
    CsvReader.Row header = reader.next();
    if (header == null) {
      throw new ConfigException("csv", csv + " is empty; expected a header row naming the columns "
          + config.imageColumn() + " and " + config.captionColumn());
    }
    if (header.error() != null) {
      throw new ConfigException("csv", csv + ": the header row is malformed: " + header.error());
    }
    List<String> names = new ArrayList<>();
    header.fields().forEach(n -> names.add(n.strip()));
    return new Columns(names.size(),
        index(names, "imageColumn", config.imageColumn(), csv),
        index(names, "captionColumn", config.captionColumn(), csv),
        config.labelColumn() == null ? -1 : index(names, "labelColumn", config.labelColumn(), csv));
  }

  private static int index(List<String> names, String key, String column, Path csv) {
    int i = names.indexOf(column);
    if (i < 0) {
      throw new ConfigException(key, csv + " has no column '" + column + "' (its header: " + String.join(", ", names) + ")");
    }
    if (names.lastIndexOf(column) != i) {
      throw new ConfigException(key, csv + " has two columns named '" + column + "'");
    }
    return i;
  }

  private static String pad(long row) {
    String s = Long.toString(row);
    return s.length() >= 7 ? s : "0".repeat(7 - s.length()) + s;
  }

  /** Column positions of a CSV. */
  private static final class Columns {
    final int count;
    final int image;
    final int caption;
    final int label;

    Columns(int count, int image, int caption, int label) {
      this.count = count;
      this.image = image;
      this.caption = caption;
      this.label = label;
    }
  }

  /** A row whose content is wrong (as opposed to an I/O error). */
  static final class BadRowException extends Exception {
    private static final long serialVersionUID = 1L;

    BadRowException(String message) {
      super(message);
    }
  }
}
