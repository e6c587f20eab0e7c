package org.abdflow.engine.stages;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Finished outputs of expensive stages, under a key derived from everything that determines them:
 * the stage, its config and seed, the code (engine and plugin JARs), the thread count, and the
 * digests of its inputs. An entry is a folder written under a temporary name, with a manifest of
 * each file's SHA-256, and renamed when complete; a later run with the same key copies the files
 * back after checking every digest, and recomputes when any differs. The cache lies beside the
 * run folders ({@code <output's parent>/.abdflow-cache}), so it outlives the runs that fill it.
 */
final class StageCache {
  static final String MANIFEST = "manifest.json";
  private static final Map<List<String>, String> CODE_DIGESTS = new java.util.concurrent.ConcurrentHashMap<>();

  private final Path root;

  private StageCache(Path root) {
    this.root = root;
  }

  /** The cache of runs laid out like {@code layout}. */
  static StageCache of(RunLayout layout) {
    Path run = layout.rootPath();
    return new StageCache(run.toAbsolutePath().getParent().resolve(".abdflow-cache"));
  }

  /** A key: the SHA-256 of the parts, each named. */
  static String key(Map<String, String> parts) {
    StringBuilder sb = new StringBuilder();
    parts.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return hex(digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** SHA-256 of a file, or of a folder's files (relative names and bytes, in name order). */
  static String sha256(Path path) throws IOException {
    MessageDigest md = sha();
    if (Files.isDirectory(path)) {
      for (Path f : files(path)) {
        md.update(path.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        update(md, f);
      }
    } else {
      update(md, path);
    }
    return hex(md.digest());
  }

  /**
   * The digest of the code that computes a stage: this engine's, the model's, the API's and the
   * schemas' class locations, and every plugin JAR in {@code pluginFolders}. Computed once per
   * JVM and folder list.
   */
  static String codeDigest(List<String> pluginFolders, Class<?>... more) throws IOException {
    List<String> cacheKey = List.copyOf(pluginFolders);
    String d = CODE_DIGESTS.get(cacheKey);
    if (d != null) {
      return d;
    }
    Map<String, String> parts = new LinkedHashMap<>();
    List<Class<?>> classes = new ArrayList<>(List.of(StageCache.class, org.abdflow.model.ClipModel.class, org.abdflow.api.Loss.class,
        org.abdflow.schema.Sample.class));
    classes.addAll(List.of(more));
    for (Class<?> c : classes) {
      Path location = location(c);
      // a JAR by its name, so a moved checkout keeps its cache; class folders (tests) by their path
      String name = location == null ? null : Files.isDirectory(location) ? location.toString() : location.getFileName().toString();
      if (name != null && !parts.containsKey(name)) {
        parts.put(name, contentDigest(location));
      }
    }
    for (String folder : pluginFolders) {
      Path dir = Path.of(folder);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> jars = Files.list(dir)) {
          for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
            parts.put(jar.getFileName().toString(), contentDigest(jar));
          }
        }
      }
    }
    d = key(parts);
    CODE_DIGESTS.put(cacheKey, d);
    return d;
  }

  /**
   * The digest of a JAR's entries (names and bytes, in name order) or of a class folder's files:
   * what the code is, not when it was packed, so rebuilding unchanged sources keeps the cache.
   */
  static String contentDigest(Path location) throws IOException {
    if (Files.isDirectory(location)) {
      return sha256(location);
    }
    MessageDigest md = sha();
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(location.toFile())) {
      List<java.util.jar.JarEntry> entries = new ArrayList<>(jar.stream().filter(e -> !e.isDirectory()).toList());
      entries.sort(java.util.Comparator.comparing(java.util.zip.ZipEntry::getName));
      for (java.util.jar.JarEntry e : entries) {
        md.update(e.getName().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        try (InputStream in = jar.getInputStream(e)) {
          DigestUtils.updateDigest(md, in);
        }
      }
    }
    return hex(md.digest());
  }

  /** The verified entry of {@code key}, if one is complete and every file matches its manifest. */
  Optional<Path> find(String stage, String key) throws IOException {
    Path entry = root.resolve(key);
    Path manifest = entry.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Map<String, String> sums = Json.MAPPER.readValue(manifest.toFile(), Map.class);
    for (Map.Entry<String, String> e : sums.entrySet()) {
      Path f = entry.resolve(e.getKey());
      if (!Files.isRegularFile(f) || !sha256(f).equals(e.getValue())) {
        org.slf4j.LoggerFactory.getLogger(StageCache.class).warn("{}: cached {} does not match its manifest; computing again", stage, f);
        return Optional.empty();
      }
    }
    CacheInventory.touch(manifest);
    return Optional.of(entry);
  }

  /**
   * Where the unfinished computation of {@code key} keeps its epoch checkpoints, so a killed run
   * resumes it; beside the entry, never inside it.
   */
  Path resumeDir(String key) {
    return root.resolve(key + ".epochs");
  }

  /**
   * The folder of a memo table (e.g. zero-shot predictions by model and input): content-addressed
   * files that runs add to and read from, beside the entries.
   */
  Path memoDir(String table, String key) {
    return root.resolve(table).resolve(key);
  }

  /** Stores the {@code names} (files or folders) of {@code stageDir} under {@code key}, atomically. */
  void put(String key, Path stageDir, List<String> names) throws IOException {
    Files.createDirectories(root);
    Path entry = root.resolve(key);
    if (Files.isDirectory(entry)) {
      deleteTree(entry);
    }
    Path tmp = Files.createTempDirectory(root, key + ".partial-");
    Map<String, String> sums = new java.util.TreeMap<>();
    for (String name : names) {
      copy(stageDir.resolve(name), tmp.resolve(name));
    }
    for (Path f : files(tmp)) {
      sums.put(tmp.relativize(f).toString().replace('\\', '/'), sha256(f));
    }
    Files.writeString(tmp.resolve(MANIFEST), Json.MAPPER.writeValueAsString(sums), StandardCharsets.UTF_8);
    try {
      Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // another worker finished the same key first: its entry is as good
      deleteTree(tmp);
    }
  }

  /**
   * Puts a verified entry in place of the stage's output ({@code replaced}, deleted first) and
   * counts the stage as reused, one output, its work begun at {@code startNanos}.
   */
  static void reuse(String stage, String what, Path entry, Path stageDir, Path replaced, long startNanos) throws IOException {
    org.abdflow.engine.Abdflow.deleteTree(replaced);
    restore(entry, stageDir);
    org.slf4j.LoggerFactory.getLogger(StageCache.class).info("{}: reused the {} of an earlier run ({})", stage, what, entry);
    org.abdflow.engine.progress.Progress.event(stage + ": reused the " + what + " of an earlier run");
    StageMetrics.reused(stage).inc();
    StageMetrics.out(stage).inc();
    StageMetrics.worked(stage, startNanos);
  }

  /** Copies an entry's files (not its manifest) into {@code stageDir}. */
  static void restore(Path entry, Path stageDir) throws IOException {
    Files.createDirectories(stageDir);
    try (Stream<Path> top = Files.list(entry)) {
      for (Path p : top.filter(p -> !p.getFileName().toString().equals(MANIFEST)).toList()) {
        copy(p, stageDir.resolve(p.getFileName().toString()));
      }
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    if (Files.isDirectory(from)) {
      for (Path f : files(from)) {
        Path target = to.resolve(from.relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } else {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return new ArrayList<>(new TreeSet<>(walk.filter(Files::isRegularFile).toList()));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static Path location(Class<?> c) {
    try {
      java.security.CodeSource source = c.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static void update(MessageDigest md, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      DigestUtils.updateDigest(md, in);
    }
  }

  private static byte[] digest(byte[] bytes) {
    return DigestUtils.sha256(bytes);
  }

  private static MessageDigest sha() {
    return DigestUtils.getSha256Digest();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
