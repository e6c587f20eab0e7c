package org.abdflow.engine.plugins;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a worker of a remote job: the plugin JARs the job staged (they arrive on the job's class
 * loader, e.g. Flink's user-code class loader), copied once per JVM into a local folder that PF4J
 * loads. A JAR is a plugin when its manifest names a {@code Plugin-Id}.
 */
final class StagedPlugins {
  private static final Logger LOG = LoggerFactory.getLogger(StagedPlugins.class);
  private static Path folder;

  private StagedPlugins() {}

  /** Copies the staged JARs of the current job again (a later job on this JVM may stage others). */
  static synchronized Path refreshed() {
    folder = null;
    return folder();
  }

  static synchronized Path folder() {
    if (folder != null) {
      return folder;
    }
    try {
      Path dir = Files.createTempDirectory("abdflow-staged-plugins");
      dir.toFile().deleteOnExit();
      List<String> ids = new ArrayList<>();
      for (Path jar : candidates()) {
        String id = pluginId(jar);
        if (id != null) {
          Path copy = dir.resolve(id + ".jar");
          Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
          copy.toFile().deleteOnExit();
          ids.add(id);
        }
      }
      if (ids.isEmpty()) {
        throw new IllegalStateException("this job's plugins were to come with it, but no staged JAR on its class path has a Plugin-Id");
      }
      LOG.info("plugins from the job's staged JARs: {}", ids);
      folder = dir;
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out the job's staged plugin JARs", e);
    }
  }

  /** JAR files on the context class loader's chain, then on the JVM's class path. */
  private static Set<Path> candidates() {
    Set<Path> out = new LinkedHashSet<>();
    for (ClassLoader cl = Thread.currentThread().getContextClassLoader(); cl != null; cl = cl.getParent()) {
      if (cl instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          try {
            if ("file".equals(url.getProtocol())) {
              out.add(Path.of(url.toURI()));
            }
          } catch (URISyntaxException | IllegalArgumentException skip) {
            // not a local file
          }
        }
      }
    }
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        out.add(Path.of(entry));
      }
    }
    out.removeIf(p -> !Files.isRegularFile(p));
    return out;
  }

  private static String pluginId(Path jar) {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.getManifest() == null ? null : f.getManifest().getMainAttributes().getValue("Plugin-Id");
    } catch (IOException notAJar) {
      return null;
    }
  }
}
