package org.abdflow.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real PF4J plugin JAR from Java sources at test time (as PF4J's own tests do): compiled
 * against the API on the test classpath, with PF4J's annotation processor writing the extension
 * index, and the plugin manifest.
 */
final class PluginJars {
  private PluginJars() {}

  static Path build(Path workDir, String pluginId, Map<String, String> sources) throws IOException {
    Path src = Files.createDirectories(workDir.resolve(pluginId + "-src"));
    Path classes = Files.createDirectories(workDir.resolve(pluginId + "-classes"));
    List<String> args = new java.util.ArrayList<>(List.of(
        "-d", classes.toString(), "-classpath", System.getProperty("java.class.path"), "--release", "17",
        "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor"));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, args.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException("javac failed for plugin " + pluginId);
    }
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", pluginId);
    a.putValue("Plugin-Version", "1.0.0");
    a.putValue("Plugin-Provider", "test");
    Path jar = Files.createDirectories(workDir.resolve("plugins")).resolve(pluginId + ".jar");
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, manifest);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(p));
        out.closeEntry();
      }
    }
    return jar;
  }
}
