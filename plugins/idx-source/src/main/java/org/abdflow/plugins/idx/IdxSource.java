package org.abdflow.plugins.idx;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.Seeds;
import org.abdflow.api.Source;
import org.abdflow.api.SourceContext;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.Image;
import org.abdflow.api.image.Resize;
import org.abdflow.schema.Sample;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads MNIST-style IDX files (an idx3-ubyte image file and, optionally, an idx1-ubyte label file,
 * plain or gzipped) into grey {@link Sample}s. Splits are index ranges such as {@code 0-999}; a
 * record that cannot be read (a truncated file, a label without a class name) goes to the dead
 * letters with its file and index, and the split goes on where it can.
 *
 * <p>Record ids are {@code <stage>/<index>}, the index zero-padded to at least five digits, so they
 * sort in file order and do not change with {@code limit} or {@code splitSize}.
 */
@Extension
public class IdxSource implements Source<IdxSourceConfig> {
  private static final Logger LOG = LoggerFactory.getLogger(IdxSource.class);

  @Override
  public String type() {
    return "IdxSource";
  }

  @Override
  public String description() {
    return "IDX image and label files (MNIST, Fashion-MNIST), plain or gzipped, captioned from class names and templates";
  }

  @Override
  public ConfigSchema configSchema() {
    return IdxSourceConfig.SCHEMA;
  }

  @Override
  public IdxSourceConfig configure(ConfigValues values) {
    return IdxSourceConfig.from(values);
  }

  @Override
  public java.util.Optional<List<java.nio.file.Path>> inputs(IdxSourceConfig config, SourceContext context) {
    List<java.nio.file.Path> files = new java.util.ArrayList<>();
    files.add(context.resolve(config.images()));
    if (config.labels() != null) {
      files.add(context.resolve(config.labels()));
    }
    return java.util.Optional.of(files);
  }

  @Override
  public List<String> splits(IdxSourceConfig config, SourceContext context) throws IOException {
    Inputs files = open(config, context);
    int total = files.total(config);
    List<String> splits = new ArrayList<>();
    for (int start = 0; start < total; start += config.splitSize()) {
      int end = (int) Math.min((long) start + config.splitSize(), total) - 1;
      splits.add(start + "-" + end);
    }
    checkSize(files.images);
    if (files.labels != null) {
      checkSize(files.labels);
    }
    return splits;
  }

  @Override
  public void read(String split, IdxSourceConfig config, SourceContext context, RecordEmitter out) throws IOException {
    int[] range = parseSplit(split);
    Inputs files = open(config, context);
    int first = range[0];
    int last = Math.min(range[1], files.total(config) - 1);
    if (first > last) {
      return;
    }
    int width = Math.max(5, String.valueOf(Math.max(0, files.images.count - 1)).length());
    int recordBytes = files.images.recordBytes();
    Stream images = new Stream(files.images, first, "image");
    Stream labels = files.labels == null ? null : new Stream(files.labels, first, "label");
    try {
      for (int i = first; i <= last; i++) {
        String id = context.stage() + "/" + pad(i, width);
        byte[] pixels = new byte[recordBytes];
        byte[] label = new byte[1];
        if (!images.read(pixels, i, id, out) || (labels != null && !labels.read(label, i, id, out, pixels))) {
          continue;
        }
        emit(id, i, pixels, labels == null ? -1 : label[0] & 0xff, files, config, context, out);
      }
    } finally {
      images.close();
      if (labels != null) {
        labels.close();
      }
    }
  }

  private void emit(String id, int index, byte[] pixels, int label, Inputs files, IdxSourceConfig config,
      SourceContext context, RecordEmitter out) {
    String className = null;
    String caption = "";
    if (label >= 0) {
      if (label >= config.classNames().size()) {
        out.fail(id, files.labels.path + ", label " + index, pixels, new IllegalArgumentException(
            "label " + label + " has no class name (classNames has " + config.classNames().size() + ")"));
        return;
      }
      className = config.classNames().get(label);
      if (config.captions() == IdxSourceConfig.Captions.TEMPLATE) {
        List<String> templates = config.templates();
        SplittableRandom rng = new SplittableRandom(Seeds.forRecord(context.seed(), context.stage(), id));
        caption = PromptTemplates.fill(templates.get(rng.nextInt(templates.size())), className);
      }
    }
    Image image = Image.wrap(files.images.rows, files.images.cols, 1, pixels);
    if (config.resize() > 0) {
      image = Resize.square(image, config.resize(), config.resizeFilter());
    }
    out.emit(Sample.newBuilder()
        .setId(id)
        .setHeight(image.height())
        .setWidth(image.width())
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(image.unsafeBytes()))
        .setCaption(caption)
        .setLabel(label)
        .setClassName(className)
        .setLineage(null)
        .build());
  }

  /** The configured files with their headers checked; a {@link ConfigException} names key and file. */
  private static Inputs open(IdxSourceConfig config, SourceContext context) throws IOException {
    IdxFile images = header("images", context.resolve(config.images()), true);
    IdxFile labels = null;
    if (config.labels() != null) {
      labels = header("labels", context.resolve(config.labels()), false);
      if (labels.count != images.count) {
        throw new ConfigException("labels", labels.path + " holds " + labels.count + " labels but " + images.path
            + " holds " + images.count + " images");
      }
    }
    return new Inputs(images, labels);
  }

  private static IdxFile header(String key, Path path, boolean images) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(key, (Files.exists(path) ? "not a regular file: " : "no such file: ") + path);
    }
    try {
      return images ? IdxFile.images(path) : IdxFile.labels(path);
    } catch (IdxFile.BadIdxException | NoSuchFileException e) {
      throw new ConfigException(key, e.getMessage());
    }
  }

  /** A plain file shorter than its header promises is read anyway; the missing records become dead letters. */
  private static void checkSize(IdxFile file) throws IOException {
    if (!file.gzipped) {
      long size = Files.size(file.path);
      if (size < file.promisedBytes()) {
        LOG.warn("{} holds {} bytes but its header promises {} records ({} bytes); the missing records will be dead letters",
            file.path, size, file.count, file.promisedBytes());
      }
    }
  }

  static int[] parseSplit(String split) {
    int dash = split.indexOf('-');
    try {
      int[] range = {Integer.parseInt(split.substring(0, dash)), Integer.parseInt(split.substring(dash + 1))};
      if (range[0] < 0 || range[1] < range[0]) {
        throw new IllegalArgumentException("bad IdxSource split '" + split + "'");
      }
      return range;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad IdxSource split '" + split + "' (expected FIRST-LAST)", e);
    }
  }

  private static String pad(int i, int width) {
    String s = Integer.toString(i);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  /** The image file and the (optional) label file of a config. */
  private static final class Inputs {
    final IdxFile images;
    final IdxFile labels;

    Inputs(IdxFile images, IdxFile labels) {
      this.images = images;
      this.labels = labels;
    }

    int total(IdxSourceConfig config) {
      return config.limit() == null ? images.count : Math.min(images.count, config.limit());
    }
  }

  /**
   * Reads the records of one file in order. Once the file breaks (ends early, bad gzip data) every
   * later record of the split fails with the first error: nothing after it can be read.
   */
  private static final class Stream {
    private final IdxFile file;
    private final String what;
    private InputStream in;
    private IOException broken;

    Stream(IdxFile file, int first, String what) {
      this.file = file;
      this.what = what;
      try {
        in = file.openAt(first);
      } catch (IOException e) {
        broken = e;
      }
    }

    boolean read(byte[] into, int index, String id, RecordEmitter out) {
      return read(into, index, id, out, null);
    }

    /** Fills {@code into} with record {@code index}; on failure sends it to {@code out.fail} and returns false. */
    boolean read(byte[] into, int index, String id, RecordEmitter out, byte[] payload) {
      String location = file.path + ", " + what + " " + index;
      if (broken != null) {
        out.fail(id, location, payload == null ? new byte[0] : payload,
            new EOFException(what + " " + index + " cannot be read: " + broken.getMessage()));
        return false;
      }
      int n;
      try {
        n = in.readNBytes(into, 0, into.length);
      } catch (IOException e) {
        broken = e;
        out.fail(id, location, payload == null ? new byte[0] : payload, e);
        return false;
      }
      if (n < into.length) {
        broken = new EOFException(file.path + " ends inside " + what + " " + index + " (" + n + " of " + into.length
            + " bytes), but its header promises " + file.count + " records");
        out.fail(id, location, payload == null ? Arrays.copyOf(into, n) : payload, broken);
        return false;
      }
      return true;
    }

    void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }
  }
}
