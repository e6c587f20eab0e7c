package org.abdflow.plugins.imagefolder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.Seeds;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labelled images from an ImageNet-style folder tree, {@code root/<class>/<image>}: the label is the
 * index of the class folder in sorted order (as torchvision's {@code ImageFolder} numbers them),
 * the class name comes from a class-name file (line i = label i) or from the folder name with
 * {@code _} read as a space. Also reads CleanCLIP's layout of the ImageNet validation set, a
 * {@code labels.csv} ({@code image,label}) in the root with image paths relative to it.
 *
 * <p>Images ({@code .jpg .jpeg .png .bmp .gif .wbmp}, any case; hidden files and other files are
 * skipped) are decoded to 8-bit RGB. A file that does not decode goes to the dead letters with its
 * path and its bytes; one that links outside the root (or lies in a class folder that does) with
 * its path only. Record ids are {@code <stage>/<class folder>/<file name>}, or {@code
 * <stage>/<row>} (zero-padded to seven digits) for a labels.csv.
 */
@Extension
public class ImageFolderSource implements Source<ImageFolderConfig> {
  private static final Logger LOG = LoggerFactory.getLogger(ImageFolderSource.class);
  static final String LABELS_CSV = "labels.csv";
  static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "wbmp");
  private static final int MAX_PAYLOAD = 8 << 20;
  private static final Pattern FOLDER_SPLIT = Pattern.compile("label=(\\d+),files=(\\d+)-(\\d+),folder=(.+)", Pattern.DOTALL);
  private static final Pattern CSV_SPLIT = Pattern.compile("rows=(\\d+)-(\\d+),offset=(\\d+),line=(\\d+)");

  @Override
  public String type() {
    return "ImageFolderSource";
  }

  @Override
  public String description() {
    return "Labelled images from class folders (root/class/image) or a labels.csv, captioned from class names and templates";
  }

  @Override
  public ConfigSchema configSchema() {
    return ImageFolderConfig.SCHEMA;
  }

  @Override
  public ImageFolderConfig configure(ConfigValues values) {
    return ImageFolderConfig.from(values);
  }

  @Override
  public java.util.Optional<List<Path>> inputs(ImageFolderConfig config, SourceContext context) {
    List<Path> files = new java.util.ArrayList<>();
    files.add(context.resolve(config.root()));
    // a class-names file, unless the value names a built-in set
    if (config.classNames() != null && java.nio.file.Files.isRegularFile(context.resolve(config.classNames()))) {
      files.add(context.resolve(config.classNames()));
    }
    return java.util.Optional.of(files);
  }

  @Override
  public List<String> splits(ImageFolderConfig config, SourceContext context) throws IOException {
    Path root = root(config, context);
    return layout(config, root) == ImageFolderConfig.Layout.LABELS_CSV
        ? csvSplits(config, context, root)
        : folderSplits(config, context, root);
  }

  @Override
  public void read(String split, ImageFolderConfig config, SourceContext context, RecordEmitter out) throws IOException {
    Path root = root(config, context);
    Matcher m = FOLDER_SPLIT.matcher(split);
    if (m.matches()) {
      readFolder(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4),
          config, context, root, out);
      return;
    }
    m = CSV_SPLIT.matcher(split);
    if (m.matches()) {
      readCsv(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
          config, context, root, out);
      return;
    }
    throw new IllegalArgumentException("bad ImageFolderSource split '" + split + "'");
  }

  // ---- class folders ----------------------------------------------------------------------

  private List<String> folderSplits(ImageFolderConfig config, SourceContext context, Path root) throws IOException {
    List<String> folders = classFolders(root);
    if (folders.isEmpty()) {
      throw new ConfigException("root", root + " has no class folders (root/<class>/<image>) and no " + LABELS_CSV);
    }
    if (config.classNames() != null) {
      List<String> names = classNames(config, context);
      if (names.size() != folders.size()) {
        throw new ConfigException("classNames", (config.classNames().equals(ImageFolderConfig.IMAGENET) ? "CLIP's ImageNet list"
            : context.resolve(config.classNames()).toString()) + " has " + names.size()
            + " class names but " + root + " has " + folders.size() + " class folders");
      }
    }
    List<String> splits = new ArrayList<>();
    long remaining = config.limit() == null ? Long.MAX_VALUE : config.limit();
    int skipped = 0;
    for (int label = 0; label < folders.size() && remaining > 0; label++) {
      Listing listing = images(root.resolve(folders.get(label)));
      skipped += listing.skipped;
      int n = (int) Math.min(listing.files.size(), remaining);
      remaining -= n;
      for (int start = 0; start < n; start += config.splitSize()) {
        int end = (int) Math.min((long) start + config.splitSize(), n) - 1;
        splits.add("label=" + label + ",files=" + start + "-" + end + ",folder=" + folders.get(label));
      }
    }
    if (skipped > 0) {
      LOG.warn("{}: skipped {} files that are not images ({})", root, skipped, String.join(", ", IMAGE_EXTENSIONS));
    }
    return splits;
  }

  private void readFolder(int label, int first, int last, String folderName, ImageFolderConfig config,
      SourceContext context, Path root, RecordEmitter out) throws IOException {
    String className;
    if (config.classNames() != null) {
      List<String> names = classNames(config, context);
      if (label >= names.size()) {
        throw new IOException(context.resolve(config.classNames()) + " has no line for label " + label + " (was it changed during the run?)");
      }
      className = names.get(label);
    } else {
      className = folderName.replace('_', ' ').strip();
    }
    Path folder = root.resolve(folderName);
    List<String> files = images(folder).files;
    for (int i = first; i <= last && i < files.size(); i++) {
      String file = files.get(i);
      String id = context.stage() + "/" + folderName + "/" + file;
      Path path = folder.resolve(file);
      if (!insideRoot(root, path)) {
        // no payload: the bytes are those of a file outside the data
        out.fail(id, path.toString(), new byte[0], new IOException(path + " links outside the root " + root));
        continue;
      }
      try {
        out.emit(sample(id, ImageFiles.read(path, config.maxMegapixels() * 1_000_000L), label, className, config, context));
      } catch (IOException | RuntimeException e) {
        out.fail(id, path.toString(), payload(path), e);
      }
    }
  }

  /** Whether a file of a class folder is inside the root once links (of the file or its folder) are followed. */
  static boolean insideRoot(Path root, Path file) {
    try {
      return file.toRealPath().startsWith(root.toRealPath());
    } catch (IOException e) {
      return true; // a dangling link or a vanished file: reading it fails with its own error
    }
  }

  /** Sub-folders of the root in sorted order, hidden ones left out. */
  static List<String> classFolders(Path root) throws IOException {
    List<String> folders = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (!name.startsWith(".") && Files.isDirectory(p)) {
          folders.add(name);
        }
      }
    }
    folders.sort(null);
    return folders;
  }

  /** Image files of a class folder in sorted order, and how many other files it holds. */
  static Listing images(Path folder) throws IOException {
    List<String> files = new ArrayList<>();
    int skipped = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || Files.isDirectory(p)) {
          continue;
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
          files.add(name);
        } else {
          skipped++;
        }
      }
    }
    files.sort(null);
    return new Listing(files, skipped);
  }

  /** The files of a folder listing. */
  static final class Listing {
    final List<String> files;
    final int skipped;

    Listing(List<String> files, int skipped) {
      this.files = files;
      this.skipped = skipped;
    }
  }

  // ---- labels.csv -------------------------------------------------------------------------

  private List<String> csvSplits(ImageFolderConfig config, SourceContext context, Path root) throws IOException {
    Path csv = root.resolve(LABELS_CSV);
    if (!Files.isRegularFile(csv)) {
      throw new ConfigException("layout", "labels-csv needs " + csv + ", which does not exist");
    }
    if (config.classNames() != null) {
      classNames(config, context);
    } else if (config.captions() == ImageFolderConfig.Captions.TEMPLATE) {
      throw new ConfigException("classNames", root + " is read from its " + LABELS_CSV
          + ", which has only label numbers: template captions need a class-name file (or set captions: none)");
    }
    List<String> splits = new ArrayList<>();
    try (CsvReader reader = CsvReader.open(csv, ',')) {
      csvColumns(csv, reader);
      long limit = config.limit() == null ? Long.MAX_VALUE : config.limit();
      long row = 0;
      long first = 1;
      long offset = 0;
      long line = 0;
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
          splits.add("rows=" + first + "-" + row + ",offset=" + offset + ",line=" + line);
        }
      }
      if (row % config.splitSize() != 0) {
        splits.add("rows=" + first + "-" + row + ",offset=" + offset + ",line=" + line);
      }
    }
    return splits;
  }

  private void readCsv(long first, long last, long offset, long line, ImageFolderConfig config, SourceContext context,
      Path root, RecordEmitter out) throws IOException {
    Path csv = root.resolve(LABELS_CSV);
    List<String> names = config.classNames() == null ? null : classNames(config, context);
    int[] columns;
    try (CsvReader header = CsvReader.open(csv, ',')) {
      columns = csvColumns(csv, header);
    }
    Path folder = root.toAbsolutePath().normalize();
    try (CsvReader reader = CsvReader.open(csv, offset, line, ',')) {
      for (long row = first; row <= last; row++) {
        CsvReader.Row r = reader.next();
        if (r == null) {
          throw new IOException(csv + " ends before row " + row + " (was it changed during the run?)");
        }
        String id = context.stage() + "/" + pad(row);
        try {
          if (r.error() != null) {
            throw new IllegalArgumentException(r.error());
          }
          List<String> f = r.fields();
          if (f.size() != columns[0]) {
            throw new IllegalArgumentException("the row has " + f.size() + " fields, the header has " + columns[0]);
          }
          String l = f.get(columns[2]).strip();
          int label;
          try {
            label = Integer.parseInt(l);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("label '" + l + "' is not an integer");
          }
          if (label < 0 || (names != null && label >= names.size())) {
            throw new IllegalArgumentException("label " + label + (label < 0 ? " is negative" : " has no class name ("
                + names.size() + " class names)"));
          }
          Image image = ImageFiles.read(imagePath(folder, f.get(columns[1]).strip()), config.maxMegapixels() * 1_000_000L);
          out.emit(sample(id, image, label, names == null ? null : names.get(label), config, context));
        } catch (IOException | RuntimeException e) {
          out.fail(id, csv + ": row " + row + " (line " + r.line() + ")", r.raw(), e);
        }
      }
    }
  }

  /** {count, image column, label column} of labels.csv's header. */
  private static int[] csvColumns(Path csv, CsvReader reader) throws IOException {
    CsvReader.Row header = reader.next();
    if (header == null || header.error() != null) {
      throw new ConfigException("root", csv + (header == null ? " is empty" : ": bad header: " + header.error())
          + "; expected a header row image,label");
    }
    List<String> names = new ArrayList<>();
    header.fields().forEach(n -> names.add(n.strip()));
    int image = names.indexOf("image");
    int label = names.indexOf("label");
    if (image < 0 || label < 0) {
      throw new ConfigException("root", csv + " has no column '" + (image < 0 ? "image" : "label")
          + "' (its header: " + String.join(", ", names) + ")");
    }
    return new int[] {names.size(), image, label};
  }

  /** An image path of labels.csv: relative, inside the root (also after following links). */
  static Path imagePath(Path folder, String given) throws IOException {
    if (given.isEmpty()) {
      throw new IllegalArgumentException("empty image path");
    }
    Path p;
    try {
      p = Path.of(given);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("image path '" + given + "' is not a valid path: " + e.getMessage());
    }
    if (p.isAbsolute() || p.getRoot() != null || given.startsWith("\\") || given.matches("^[A-Za-z]:.*")) {
      throw new IllegalArgumentException("image path '" + given + "' is absolute; paths must be relative to " + folder);
    }
    Path resolved = folder.resolve(p).normalize();
    if (!resolved.startsWith(folder)) {
      throw new IllegalArgumentException("image path '" + given + "' leaves " + folder);
    }
    if (!Files.exists(resolved)) {
      throw new NoSuchFileException(resolved.toString(), null, "image file not found");
    }
    if (!resolved.toRealPath().startsWith(folder.toRealPath())) {
      throw new IllegalArgumentException("image path '" + given + "' links outside " + folder);
    }
    return resolved;
  }

  // ---- shared -----------------------------------------------------------------------------

  private static Sample sample(String id, Image decoded, int label, String className, ImageFolderConfig config,
      SourceContext context) {
    Image image = config.resize() > 0 ? Resize.square(decoded, config.resize(), config.resizeFilter()) : decoded;
    String caption = "";
    if (className != null && config.captions() == ImageFolderConfig.Captions.TEMPLATE) {
      List<String> templates = config.templates();
      SplittableRandom rng = new SplittableRandom(Seeds.forRecord(context.seed(), context.stage(), id));
      caption = PromptTemplates.fill(templates.get(rng.nextInt(templates.size())), className);
    }
    return Sample.newBuilder()
        .setId(id)
        .setHeight(image.height())
        .setWidth(image.width())
        .setChannels(3)
        .setPixels(ByteBuffer.wrap(image.unsafeBytes()))
        .setCaption(caption)
        .setLabel(label)
        .setClassName(className)
        .setLineage(null)
        .build();
  }

  private static Path root(ImageFolderConfig config, SourceContext context) {
    Path root = context.resolve(config.root());
    if (!Files.isDirectory(root)) {
      throw new ConfigException("root", (Files.exists(root) ? "not a folder: " : "no such folder: ") + root);
    }
    return root;
  }

  private static ImageFolderConfig.Layout layout(ImageFolderConfig config, Path root) {
    if (config.layout() != ImageFolderConfig.Layout.AUTO) {
      return config.layout();
    }
    return Files.isRegularFile(root.resolve(LABELS_CSV)) ? ImageFolderConfig.Layout.LABELS_CSV : ImageFolderConfig.Layout.FOLDERS;
  }

  /** The class-name file's names, one per line; trailing empty lines are ignored, others are errors. */
  static List<String> classNames(ImageFolderConfig config, SourceContext context) throws IOException {
    if (config.classNames().equals(ImageFolderConfig.IMAGENET)) {
      return org.abdflow.api.PromptTemplates.IMAGENET_CLASSES;
    }
    Path file = context.resolve(config.classNames());
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("classNames", (Files.exists(file) ? "not a regular file: " : "no such file: ") + file);
    }
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lines.add(l.strip());
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty()) {
      throw new ConfigException("classNames", file + " holds no class names");
    }
    if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
      lines.set(0, lines.get(0).substring(1).strip());
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isEmpty()) {
        throw new ConfigException("classNames", file + ": line " + (i + 1) + " is empty (line i names label i - 1)");
      }
    }
    return lines;
  }

  /** The start of a file that failed, for the dead letter (at most 8 MiB). */
  private static byte[] payload(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(MAX_PAYLOAD);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static String pad(long row) {
    String s = Long.toString(row);
    return s.length() >= 7 ? s : "0".repeat(7 - s.length()) + s;
  }
}
