package org.abdflow.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.abdflow.engine.plugins.JarDigests;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.engine.spec.SpecException;
import org.abdflow.engine.spec.SpecLoader;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A plugin JAR the spec pins by sha256 is checked before any plugin is loaded. */
public class PinnedPluginsTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private String defaultPlugins;
  private Path root;

  @Before
  public void setUp() throws IOException {
    defaultPlugins = System.getProperty("abdflow.plugins");
    root = tmp.getRoot().toPath();
    System.setProperty("abdflow.plugins", Files.createDirectories(root.resolve("default")).toString());
  }

  @After
  public void tearDown() {
    if (defaultPlugins == null) {
      System.clearProperty("abdflow.plugins");
    } else {
      System.setProperty("abdflow.plugins", defaultPlugins);
    }
  }

  private Path jar(String folder, String name, String pluginId) throws IOException {
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", pluginId);
    a.putValue("Plugin-Version", "1.0.0");
    Path jar = Files.createDirectories(root.resolve(folder)).resolve(name);
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, manifest)) {
      out.flush();
    }
    return jar;
  }

  private PipelineSpec spec(String plugins) throws SpecException {
    return SpecLoader.parse("pipeline: {transforms: [{type: T, name: a}]}\nplugins: " + plugins + "\n",
        root.resolve("spec.yaml"));
  }

  @Test
  public void aJarWithTheDigestItIsPinnedToLoads() throws Exception {
    Path jar = jar("vendor", "badnet-0.1.0.jar", "pinned-good");
    String hex = JarDigests.sha256(jar);
    PluginRegistry registry = Abdflow.registry(spec("[{path: vendor/badnet-0.1.0.jar, sha256: " + hex.toUpperCase() + "}]"), List.of());
    assertThat(registry.pluginJars(), contains(jar));
  }

  @Test
  public void aJarWithAnotherDigestRefusesTheRunNamingJarExpectedAndActual() throws Exception {
    Path jar = jar("vendor2", "badnet-0.1.0.jar", "pinned-bad");
    String expected = "0".repeat(64);
    PipelineSpec spec = spec("\n  - default/\n  - {path: vendor2/badnet-0.1.0.jar, sha256: " + expected + "}");
    SpecException e = assertThrows(SpecException.class, () -> Abdflow.registry(spec, List.of()));
    assertThat(e.getMessage(), containsString("spec.yaml:4:5: plugins: plugin JAR " + jar + " has sha256 "
        + JarDigests.sha256(jar) + ", the spec expects " + expected));

    Files.delete(jar);
    e = assertThrows(SpecException.class, () -> Abdflow.registry(spec, List.of()));
    assertThat(e.getMessage(), containsString("pinned plugin JAR " + jar + " does not exist"));
  }
}
