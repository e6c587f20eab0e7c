package org.abdflow.engine.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginRepository;
import org.pf4j.PluginRepository;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginStatusProvider;

/**
 * PF4J's manager narrowed to what a spec or the command line names: the JAR files directly in the
 * given folders, nothing else. PF4J would otherwise fall back to {@code -Dpf4j.pluginsDir} or
 * {@code ./plugins} when given no folder, switch to loading class folders under {@code
 * -Dpf4j.mode=development}, unpack ZIP files it finds, read enabled.txt / disabled.txt from
 * {@code -Dpf4j.pluginsConfigDir}, and skip (only logging it) a second JAR with a plugin id already
 * loaded.
 */
final class FolderPluginManager extends DefaultPluginManager {
  private final List<String> notPlugins = new ArrayList<>();

  FolderPluginManager(List<Path> folders) {
    super(new ArrayList<>(folders));
  }

  /** The JAR files of the folders that are no plugin (no Plugin-Id in the manifest), each with why. */
  List<String> notPlugins() {
    return List.copyOf(notPlugins);
  }

  @Override
  protected List<Path> createPluginsRoot() {
    return new ArrayList<>(); // no folder named: no plugins, never a default folder
  }

  @Override
  protected PluginStatusProvider createPluginStatusProvider() {
    return new PluginStatusProvider() { // every plugin of the folders is on: the spec is the one switch
      @Override
      public boolean isPluginDisabled(String pluginId) {
        return false;
      }

      @Override
      public void disablePlugin(String pluginId) {
        throw new UnsupportedOperationException("abdflow loads every plugin of the folders a run names");
      }

      @Override
      public void enablePlugin(String pluginId) {}
    };
  }

  /** JAR files only: no class folders (development mode), no ZIP files unpacked into the folder. */
  @Override
  protected PluginRepository createPluginRepository() {
    return new JarPluginRepository(getPluginsRoots());
  }

  /** Loads the plugins, refusing two JARs with one plugin id (PF4J would keep one at random). */
  @Override
  public void loadPlugins() {
    if (getPluginsRoots().isEmpty()) {
      return; // PF4J only logs a warning for this
    }
    Map<String, Path> byId = new LinkedHashMap<>();
    List<String> clashes = new ArrayList<>();
    for (Path jar : pluginRepository.getPluginPaths()) {
      String id;
      try {
        id = getPluginDescriptorFinder().find(jar).getPluginId();
      } catch (PluginRuntimeException notAPlugin) {
        notPlugins.add(jar + " is not a plugin JAR (" + notAPlugin.getMessage() + "); a plugin's manifest names Plugin-Id and"
            + " Plugin-Version, as plugins/pom.xml writes them");
        continue; // PF4J reports it too when it tries to load it
      }
      if (id == null || id.isBlank()) {
        notPlugins.add(jar + " is not a plugin JAR (no Plugin-Id in its manifest); a plugin's manifest names Plugin-Id and"
            + " Plugin-Version, as plugins/pom.xml writes them");
        continue;
      }
      Path first = byId.putIfAbsent(id, jar);
      if (first != null) {
        clashes.add("plugin id " + id + " is given by two JARs: " + first + " and " + jar
            + " (remove one of them, or keep them in folders of different runs; a copy of plugins/template needs its own"
            + " plugin.id in its pom.xml)");
      }
    }
    if (!clashes.isEmpty()) {
      throw new PluginConflictException(clashes);
    }
    super.loadPlugins();
  }
}
