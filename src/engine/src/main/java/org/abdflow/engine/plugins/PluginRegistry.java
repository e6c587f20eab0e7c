package org.abdflow.engine.plugins;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.abdflow.api.AbdflowExtension;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extensions of the plugin JARs in a list of folders, by spec type. One registry per folder
 * list per JVM ({@link #shared}): DoFns on a worker resolve their extension from it in
 * {@code @Setup} instead of carrying plugin classes through serialization.
 */
public final class PluginRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
  private static final Map<List<Path>, PluginRegistry> SHARED = new ConcurrentHashMap<>();

  private final List<Path> folders;
  private final PluginManager manager;
  private final SortedMap<String, LoadedExtension> byType;
  private final List<String> problems = new ArrayList<>();
  /** SHA-256 of each plugin's JAR by plugin id, as the JARs were when this registry loaded them. */
  private final SortedMap<String, String> digests = new TreeMap<>();
  /** The JAR files of the folders when this registry loaded them, with their sizes and times. */
  private final Map<Path, String> jarStamps;

  private PluginRegistry(List<Path> folders) {
    this.folders = List.copyOf(folders);
    this.jarStamps = jarStamps(this.folders);
    FolderPluginManager folderManager = new FolderPluginManager(this.folders);
    this.manager = folderManager;
    manager.loadPlugins();
    manager.startPlugins();
    problems.addAll(folderManager.notPlugins());
    for (PluginWrapper plugin : manager.getPlugins()) {
      if (plugin.getPluginState() != org.pf4j.PluginState.STARTED) {
        problems.add("plugin " + plugin.getPluginId() + " (" + plugin.getPluginPath() + ") did not start (" + plugin.getPluginState()
            + (plugin.getFailedException() != null ? ": " + plugin.getFailedException().getMessage() : "") + ")");
      }
    }
    for (PluginWrapper plugin : manager.getPlugins()) {
      if (plugin.getPluginPath().toString().endsWith(".jar")) {
        try {
          digests.put(plugin.getPluginId(), JarDigests.sha256(plugin.getPluginPath()));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("cannot read plugin JAR " + plugin.getPluginPath(), e);
        }
      }
    }
    SortedMap<String, LoadedExtension> types = new TreeMap<>();
    List<String> clashes = new ArrayList<>();
    for (PluginWrapper plugin : manager.getStartedPlugins()) {
      @SuppressWarnings("rawtypes")
      List<AbdflowExtension> extensions = manager.getExtensions(AbdflowExtension.class, plugin.getPluginId());
      if (extensions.isEmpty()) {
        problems.add("plugin " + plugin.getPluginId() + " (" + plugin.getPluginPath() + ") defines no abdflow type: is its class annotated"
            + " @Extension, and was it compiled with PF4J's annotation processor (it writes META-INF/extensions.idx)?");
      }
      for (AbdflowExtension<?> ext : extensions) {
        LoadedExtension loaded =
            new LoadedExtension(plugin.getPluginId(), plugin.getDescriptor().getVersion(), plugin.getPluginPath(), ext);
        LoadedExtension previous = types.putIfAbsent(ext.type(), loaded);
        if (previous != null) {
          clashes.add("type " + ext.type() + " is defined by plugin " + previous.pluginId() + " (" + previous.pluginPath()
              + ") and by plugin " + plugin.getPluginId() + " (" + plugin.getPluginPath() + "); remove one JAR from the plugin"
              + " folders, or give one extension another type() (a copy of plugins/template must rename SolidSquare)");
        }
      }
    }
    if (!clashes.isEmpty()) {
      throw new PluginConflictException(clashes);
    }
    this.byType = Collections.unmodifiableSortedMap(types);
  }

  /**
   * The plugin "folder" of a job whose plugin JARs travel with it (a remote cluster): on a worker
   * it stands for the staged JARs, found on the job's class loader ({@link StagedPlugins}).
   */
  public static final Path STAGED = Path.of("/<plugins staged with the job>");

  private static volatile List<Path> stagedFrom;

  /**
   * In the JVM that submits a staged job: the folders {@link #STAGED} stands for here, where
   * building the graph reads plugins before any worker has the staged JARs.
   */
  public static void stagedFrom(List<Path> folders) {
    stagedFrom = normalise(folders);
  }

  /**
   * {@link #shared(List)}, loaded again when the JAR it holds for {@code type} is not the one the
   * job was submitted with: a long-lived TaskManager then runs the new job's plugin code, not the
   * code of the first job it ran. If the folders still hold another JAR, {@link #checkDigest}
   * refuses it.
   */
  public static PluginRegistry shared(List<Path> folders, String type, Map<String, String> submitted) {
    PluginRegistry registry = shared(folders);
    if (submitted.isEmpty() || registry.loadedAsSubmitted(type, submitted)) {
      return registry;
    }
    return reload(folders, registry, "type " + type + ": this JVM's plugins of " + registry.folders
        + " are not the JARs the job was submitted with; loading them again");
  }

  /**
   * {@link #shared(List)} as the folders are now: loaded again when their JAR files changed since
   * (rebuilt, replaced, added or removed), so a JVM that submits several runs (a program calling
   * {@code Abdflow.run}, a test suite) runs and records the JARs on disk, not the first ones.
   */
  public static PluginRegistry current(List<Path> folders) {
    PluginRegistry registry = shared(folders);
    if (folders.equals(List.of(STAGED)) || registry.jarStamps.equals(jarStamps(registry.folders))) {
      return registry;
    }
    return reload(folders, registry, "the plugin JARs in " + registry.folders + " changed since they were loaded; loading them again");
  }

  /**
   * Replaces {@code stale}, the shared registry of {@code folders}, by a fresh load of its folders
   * (the job's staged JARs copied again where it stands for them); a thread that finds it already
   * replaced takes the replacement.
   */
  private static PluginRegistry reload(List<Path> folders, PluginRegistry stale, String why) {
    synchronized (PluginRegistry.class) {
      PluginRegistry current = shared(folders);
      if (current != stale) {
        return current;
      }
      LOG.info(why);
      boolean staged = folders.equals(List.of(STAGED));
      List<Path> key = staged && stagedFrom != null ? normalise(stagedFrom) : normalise(folders);
      PluginRegistry fresh = new PluginRegistry(staged && stagedFrom == null ? List.of(StagedPlugins.refreshed()) : stale.folders);
      SHARED.put(key, fresh);
      return fresh;
    }
  }

  /** Each JAR file directly in {@code folders} with its size and modification time (what a rebuild changes). */
  private static Map<Path, String> jarStamps(List<Path> folders) {
    Map<Path, String> out = new java.util.HashMap<>();
    for (Path folder : folders) {
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (java.util.stream.Stream<Path> files = Files.list(folder)) {
        for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f)).toList()) {
          java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
          out.put(f, a.size() + "@" + a.lastModifiedTime().toMillis() + "#" + a.fileKey());
        }
      } catch (java.io.IOException e) {
        out.put(folder, "unreadable: " + e);
      }
    }
    return out;
  }

  /** The registry of these folders in this JVM, loading the plugins on first use. */
  public static PluginRegistry shared(List<Path> folders) {
    if (folders.equals(List.of(STAGED))) {
      List<Path> local = stagedFrom;
      if (local != null) {
        return shared(local);
      }
      return SHARED.computeIfAbsent(List.of(STAGED), k -> new PluginRegistry(List.of(StagedPlugins.folder())));
    }
    List<Path> key = normalise(folders);
    return SHARED.computeIfAbsent(key, PluginRegistry::new);
  }

  /** The JAR files of the loaded plugins (what a remote job stages). */
  public List<Path> pluginJars() {
    return manager.getPlugins().stream().map(PluginWrapper::getPluginPath).filter(p -> p.toString().endsWith(".jar")).toList();
  }

  /** Absolute, normalised, existing folders (missing ones are reported by {@link #missingFolders}). */
  public static List<Path> normalise(List<Path> folders) {
    if (folders.equals(List.of(STAGED))) {
      return List.of(STAGED);
    }
    List<Path> out = new ArrayList<>();
    for (Path p : folders) {
      Path n = p.toAbsolutePath().normalize();
      if (!out.contains(n)) {
        out.add(n);
      }
    }
    return List.copyOf(out);
  }

  /** Folders of the list that do not exist, so the CLI can say so before a run. */
  public static List<Path> missingFolders(List<Path> folders) {
    List<Path> missing = new ArrayList<>();
    for (Path p : folders) {
      if (!Files.isDirectory(p)) {
        missing.add(p);
      }
    }
    return missing;
  }

  public List<Path> folders() {
    return folders;
  }

  /** Every extension by type, sorted. */
  public SortedMap<String, LoadedExtension> extensions() {
    return byType;
  }

  /**
   * What went wrong loading the folders without stopping the load: a JAR that is not a plugin, a
   * plugin that did not start or defines no type. Messages about unknown types name them.
   */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public Optional<LoadedExtension> find(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  /** The extension of {@code type}, which must be of {@code kind}. */
  public <T> T extension(String type, Class<T> kind) {
    LoadedExtension loaded = byType.get(type);
    if (loaded == null) {
      throw new IllegalArgumentException("no plugin in " + folders + " defines type " + type + " (known: " + byType.keySet() + ")"
          + org.abdflow.api.config.DidYouMean.suggestion(type, byType.keySet()));
    }
    if (!kind.isInstance(loaded.extension())) {
      throw new IllegalArgumentException("type " + type + " is a " + loaded.kind() + ", not a " + kind.getSimpleName());
    }
    return kind.cast(loaded.extension());
  }

  /**
   * The SHA-256 of every loaded plugin JAR, by plugin id: what a job carries to its workers, so that
   * each checks it runs the plugin code the job was submitted with ({@link #checkDigest}).
   */
  public SortedMap<String, String> pluginDigests() {
    return Collections.unmodifiableSortedMap(digests);
  }

  /** Whether {@code type} is loaded here from a JAR whose digest the job was submitted with. */
  private boolean loadedAsSubmitted(String type, Map<String, String> submitted) {
    LoadedExtension loaded = byType.get(type);
    if (loaded == null) {
      return false;
    }
    String expected = submitted.get(loaded.pluginId());
    return expected == null || expected.equals(digests.get(loaded.pluginId()));
  }

  /**
   * Refuses to hand out {@code type} when the JAR it comes from here is not the one the job was
   * submitted with: a plugin rebuilt or replaced between submission and a worker's start would
   * otherwise run other code than the spec's pins and the run manifest name. An empty
   * {@code submitted} map checks nothing (no submission to compare with).
   */
  public void checkDigest(String type, Map<String, String> submitted) {
    LoadedExtension loaded = byType.get(type);
    if (submitted.isEmpty() || loaded == null || !loaded.pluginPath().toString().endsWith(".jar")) {
      return;
    }
    String expected = submitted.get(loaded.pluginId());
    if (expected == null) {
      throw new IllegalStateException("type " + type + " comes from plugin " + loaded.pluginId() + " (" + loaded.pluginPath()
          + ") here, a plugin the job was not submitted with (it had " + submitted.keySet() + "); refusing to run it");
    }
    String actual = digests.get(loaded.pluginId());
    if (!actual.equals(expected)) {
      throw new IllegalStateException("plugin " + loaded.pluginId() + " is " + loaded.pluginPath() + " with sha256 " + actual
          + " here, but the job was submitted with sha256 " + expected + ": the JAR changed after submission (rebuilt, or replaced?);"
          + " refusing to run other code than the job's");
    }
  }

  /** One extension with the plugin it came from. */
  public record LoadedExtension(String pluginId, String pluginVersion, Path pluginPath, AbdflowExtension<?> extension) {
    /** The extension point it implements (Attack, Source, ...), for listings. */
    public String kind() {
      for (Class<?> i : ExtensionKinds.ALL) {
        if (i.isInstance(extension)) {
          return i.getSimpleName();
        }
      }
      return "Extension";
    }
  }
}
