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

  /**
   * Builds a plugin module of {@code plugins/} as its pom does, without Maven: every source of
   * {@code src/main/java} compiled with PF4J's and AutoValue's annotation processors (the parent
   * pom's {@code annotationProcessorPaths}), {@code src/main/resources} copied, and the manifest of
   * {@code plugins/pom.xml}'s jar plugin from the module's properties; the JAR is named as Maven
   * names it and written into {@code outFolder}.
   */
  static Path buildModule(Path module, Path outFolder) throws IOException {
    String pom = Files.readString(module.resolve("pom.xml"));
    String parentPom = Files.readString(module.resolve("../pom.xml").normalize());
    String parent = tag(pom, "parent");
    String artifactId = tag(pom.replace(parent, ""), "artifactId");
    String version = tag(parent, "version");
    Path classes = Files.createDirectories(outFolder.resolveSibling(artifactId + "-classes"));
    List<String> args = new java.util.ArrayList<>(List.of(
        "-d", classes.toString(), "-classpath", System.getProperty("java.class.path"), "--release", "17", "-parameters",
        "-processor", "com.google.auto.value.processor.AutoValueProcessor,org.pf4j.processor.ExtensionAnnotationProcessor"));
    try (Stream<Path> walk = Files.walk(module.resolve("src/main/java"))) {
      walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().forEach(args::add);
    }
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException("javac failed for " + module);
    }
    Path resources = module.resolve("src/main/resources");
    if (Files.isDirectory(resources)) {
      try (Stream<Path> walk = Files.walk(resources)) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          Path to = classes.resolve(resources.relativize(p).toString());
          Files.createDirectories(to.getParent());
          Files.copy(p, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", tag(pom, "plugin.id"));
    a.putValue("Plugin-Class", "");
    a.putValue("Plugin-Version", version);
    a.putValue("Plugin-Provider", tag(parentPom, "plugin.provider"));
    a.putValue("Plugin-Dependencies", "");
    a.putValue("Plugin-Description", tag(pom, "description"));
    Path jar = Files.createDirectories(outFolder).resolve(artifactId + "-" + version + ".jar");
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, manifest);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(p));
        out.closeEntry();
      }
    }
    return jar;
  }

  /** The text of the first {@code <name>...</name>} of a pom. */
  private static String tag(String xml, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<" + java.util.regex.Pattern.quote(name) + ">(.*?)</"
        + java.util.regex.Pattern.quote(name) + ">", java.util.regex.Pattern.DOTALL).matcher(xml);
    if (!m.find()) {
      throw new IllegalStateException("no <" + name + "> in the pom");
    }
    return name.equals("parent") ? m.group(0) : m.group(1).strip();
  }

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
