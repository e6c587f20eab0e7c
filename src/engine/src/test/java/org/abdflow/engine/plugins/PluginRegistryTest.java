package org.abdflow.engine.plugins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Plugins come only from the folders given, and one plugin id from one JAR. */
public class PluginRegistryTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** A plugin JAR with only its manifest: enough for PF4J to load it. */
  static Path pluginJar(Path folder, String file, String pluginId) throws IOException {
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", pluginId);
    a.putValue("Plugin-Version", "1.0.0");
    Path jar = Files.createDirectories(folder).resolve(file);
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, manifest)) {
      out.flush();
    }
    return jar;
  }

  @Test
  public void loadsTheJarsOfTheFoldersGiven() throws IOException {
    Path a = pluginJar(tmp.getRoot().toPath().resolve("a"), "one.jar", "one");
    Path b = pluginJar(tmp.getRoot().toPath().resolve("b"), "two.jar", "two");
    PluginRegistry registry = PluginRegistry.shared(List.of(a.getParent(), b.getParent()));
    assertThat(registry.pluginJars(), contains(a, b));
  }

  @Test
  public void neverFallsBackToPf4jsDefaultFolders() throws IOException {
    Path elsewhere = tmp.getRoot().toPath().resolve("elsewhere");
    pluginJar(elsewhere, "stray.jar", "stray");
    Path unpacked = Files.createDirectories(elsewhere.resolve("unpacked"));
    Files.writeString(unpacked.resolve("plugin.properties"), "plugin.id=unpacked\nplugin.version=1.0.0\n");
    Path named = tmp.newFolder("named").toPath();
    Files.createDirectories(named.resolve("classes-plugin"));
    Files.writeString(named.resolve("classes-plugin/plugin.properties"), "plugin.id=dir\nplugin.version=1.0.0\n");
    String before = System.getProperty("pf4j.pluginsDir");
    String mode = System.getProperty("pf4j.mode");
    System.setProperty("pf4j.pluginsDir", elsewhere.toString());
    System.setProperty("pf4j.mode", "development");
    try {
      // No folder named: no plugins, not those of -Dpf4j.pluginsDir (or ./plugins).
      assertThat(PluginRegistry.shared(List.of()).pluginJars(), empty());
      // A folder named: its JARs only; a plugin folder (not a JAR) is not loaded, development mode or not.
      Path jar = pluginJar(named, "named.jar", "named");
      FolderPluginManager manager = new FolderPluginManager(List.of(named));
      manager.loadPlugins();
      assertThat(manager.getPlugins().stream().map(p -> p.getPluginId() + " " + p.getPluginPath()).toList(),
          contains("named " + jar));
    } finally {
      restore("pf4j.pluginsDir", before);
      restore("pf4j.mode", mode);
    }
  }

  @Test
  public void refusesTwoJarsWithOnePluginIdNamingBoth() throws IOException {
    Path first = pluginJar(tmp.getRoot().toPath().resolve("x"), "badnet-0.1.0.jar", "badnet");
    Path second = pluginJar(tmp.getRoot().toPath().resolve("y"), "badnet-copy.jar", "badnet");
    PluginConflictException e = assertThrows(PluginConflictException.class,
        () -> PluginRegistry.shared(List.of(first.getParent(), second.getParent())));
    assertThat(e.getMessage(), containsString("plugin id badnet is given by two JARs: " + first + " and " + second));

    Path same = tmp.getRoot().toPath().resolve("z");
    Path a = pluginJar(same, "a.jar", "dup");
    Path b = pluginJar(same, "b.jar", "dup");
    e = assertThrows(PluginConflictException.class, () -> PluginRegistry.shared(List.of(same)));
    assertThat(e.getMessage(), containsString(a.toString()));
    assertThat(e.getMessage(), containsString(b.toString()));
  }

  @Test
  public void aJarThatIsNoPluginAndAPluginWithoutTypesAreNamedAsProblems() throws IOException {
    Path folder = tmp.getRoot().toPath().resolve("mixed");
    Path empty = pluginJar(folder, "empty.jar", "empty");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    Path plain = folder.resolve("plain.jar");
    try (OutputStream os = Files.newOutputStream(plain); JarOutputStream out = new JarOutputStream(os, manifest)) {
      out.flush();
    }
    List<String> problems = PluginRegistry.shared(List.of(folder)).problems();
    assertThat(problems.toString(), containsString(plain + " is not a plugin JAR"));
    assertThat(problems.toString(), containsString("Plugin-Id"));
    assertThat(problems.toString(), containsString("plugin empty (" + empty + ") defines no abdflow type"));
    assertThat(problems.toString(), containsString("@Extension"));
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
