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

/**
 * The extensions of the plugin JARs in a list of folders, by spec type. One registry per folder
 * list per JVM ({@link #shared}): DoFns on a worker resolve their extension from it in
 * {@code @Setup} instead of carrying plugin classes through serialization.
 */
public final class PluginRegistry {
  private static final Map<List<Path>, PluginRegistry> SHARED = new ConcurrentHashMap<>();

  private final List<Path> folders;
  private final PluginManager manager;
  private final SortedMap<String, LoadedExtension> byType;
  private final List<String> problems = new ArrayList<>();

  private PluginRegistry(List<Path> folders) {
    this.folders = List.copyOf(folders);
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
