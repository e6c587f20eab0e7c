package org.abdflow.cli;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.stages.StageCatalog;
import org.junit.Test;

/** pipelines/spec-reference.md is what `./abdflow plugins reference` makes of the plugins the build puts in target/plugins. */
public class SpecReferenceTest {
  private static final Path ROOT = Path.of(System.getProperty("abdflow.root", "../..")).toAbsolutePath().normalize();
  static final String COMMITTED = "pipelines/spec-reference.md";
  static final String REGENERATE = "./abdflow plugins reference --output " + COMMITTED;

  @Test
  public void theCommittedReferenceIsTheOneTheBuiltPluginsGive() throws IOException {
    Path folder = ROOT.resolve("target/plugins");
    List<String> expected = pluginJarNames();
    List<String> present = new ArrayList<>();
    if (Files.isDirectory(folder)) {
      try (Stream<Path> list = Files.list(folder)) {
        list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().forEach(present::add);
      }
    }
    for (String jar : expected) {
      assertTrue("target/plugins lacks " + jar + ": build every plugin before this test (mvn -q package -DskipTests at the"
          + " repository root builds them all)", present.contains(jar));
    }
    for (String jar : present) {
      assertTrue("target/plugins holds " + jar + ", which no module of plugins/pom.xml builds: delete it (or make it a module,"
          + " then regenerate the reference with " + REGENERATE + ")", expected.contains(jar));
    }
    String fresh = TypeDocs.reference(TypeDocs.all(new StageCatalog(PluginRegistry.shared(List.of(folder)))));
    String committed = Files.readString(ROOT.resolve(COMMITTED));
    if (!fresh.equals(committed)) {
      List<String> a = committed.lines().toList();
      List<String> b = fresh.lines().toList();
      int line = 0;
      while (line < Math.min(a.size(), b.size()) && a.get(line).equals(b.get(line))) {
        line++;
      }
      fail(COMMITTED + " is stale: regenerate it with `" + REGENERATE + "` and commit it. First difference at line " + (line + 1)
          + ":\n  committed: " + (line < a.size() ? a.get(line) : "<end of file>")
          + "\n  now:       " + (line < b.size() ? b.get(line) : "<end of file>"));
    }
  }

  /** The JAR file name of each module of plugins/pom.xml: ARTIFACTID-VERSION.jar. */
  private static List<String> pluginJarNames() throws IOException {
    String aggregator = Files.readString(ROOT.resolve("plugins/pom.xml"));
    String version = first(first(aggregator, "parent"), "version");
    List<String> jars = new ArrayList<>();
    Matcher modules = Pattern.compile("<module>(.*?)</module>").matcher(aggregator);
    while (modules.find()) {
      String pom = Files.readString(ROOT.resolve("plugins").resolve(modules.group(1).strip()).resolve("pom.xml"));
      jars.add(first(pom.replace(first(pom, "parent"), ""), "artifactId") + "-" + version + ".jar");
    }
    return jars;
  }

  private static String first(String xml, String tag) {
    Matcher m = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(xml);
    if (!m.find()) {
      throw new IllegalStateException("no <" + tag + ">");
    }
    return tag.equals("parent") ? m.group(0) : m.group(1).strip();
  }
}
