package org.abdflow.engine.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.abdflow.api.Seeds;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.engine.spec.TransformSpec;

/**
 * What a run was made of, so a figure can be traced to the code and machine that made it: the git
 * commit of the checkout, every plugin JAR (id, version, SHA-256, types), the versions of DJL,
 * libtorch, Beam and Java, the run seed and each stage's seed, and the hardware. Written as
 * {@value #FILE} before the pipeline starts, so a failed run's partial output has it too.
 */
public final class RunManifest {
  public static final String FILE = "manifest.json";

  private RunManifest() {}

  /** The manifest of a run of {@code spec} with the plugins of {@code registry}. */
  public static Map<String, Object> describe(Path specFile, PipelineSpec spec, PluginRegistry registry, String runner, int torchThreads)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spec", specFile.toString());
    m.put("spec_sha256", sha256(specFile));
    m.put("runner", runner);
    m.put("git_commit", gitCommit(org.abdflow.engine.Abdflow.home().toAbsolutePath().normalize()));
    m.put("versions", versions());
    m.put("plugins", plugins(registry));
    Map<String, Object> seeds = new LinkedHashMap<>();
    seeds.put("run", spec.seed());
    if (!spec.seeds().isEmpty()) {
      seeds.put("matrix", spec.seeds());
    }
    Map<String, Long> stages = new LinkedHashMap<>();
    for (TransformSpec t : spec.transforms()) {
      // as the stages draw it: from their seed copy's seed when the spec lists seeds
      stages.put(t.name(), Seeds.forStage(spec.seedOf(t.name()), t.name()));
    }
    seeds.put("stages", stages);
    m.put("seeds", seeds);
    m.put("hardware", hardware(torchThreads));
    return m;
  }

  /** Writes the manifest into {@code runFolder}. */
  public static void write(Map<String, Object> manifest, Path runFolder) throws IOException {
    Files.writeString(runFolder.resolve(FILE),
        ReportWriter.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest), StandardCharsets.UTF_8);
  }

  /** The commit checked out in {@code home}, read from {@code .git} (worktrees and packed refs too), or null outside a checkout. */
  static String gitCommit(Path home) {
    try {
      Path git = home.resolve(".git");
      if (Files.isRegularFile(git)) {
        // a worktree or submodule: ".git" names the real folder
        String line = Files.readString(git).trim();
        if (!line.startsWith("gitdir:")) {
          return null;
        }
        git = home.resolve(line.substring("gitdir:".length()).trim()).normalize();
      }
      if (!Files.isDirectory(git)) {
        return null;
      }
      Path common = git;
      if (Files.isRegularFile(git.resolve("commondir"))) {
        common = git.resolve(Files.readString(git.resolve("commondir")).trim()).normalize();
      }
      String head = Files.readString(git.resolve("HEAD")).trim();
      if (!head.startsWith("ref:")) {
        return head;
      }
      String ref = head.substring("ref:".length()).trim();
      for (Path dir : List.of(git, common)) {
        Path loose = dir.resolve(ref);
        if (Files.isRegularFile(loose)) {
          return Files.readString(loose).trim();
        }
      }
      Path packed = common.resolve("packed-refs");
      if (Files.isRegularFile(packed)) {
        for (String l : Files.readAllLines(packed)) {
          if (l.endsWith(" " + ref)) {
            return l.substring(0, l.indexOf(' '));
          }
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static Map<String, Object> versions() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("djl", ai.djl.engine.Engine.getDjlVersion());
    try {
      v.put("libtorch", ai.djl.engine.Engine.getEngine("PyTorch").getVersion());
    } catch (RuntimeException e) {
      v.put("libtorch", "unavailable: " + e.getMessage());
    }
    v.put("beam", org.apache.beam.sdk.util.ReleaseInfo.getReleaseInfo().getVersion());
    v.put("avro", org.apache.avro.Schema.class.getPackage().getImplementationVersion());
    v.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    return v;
  }

  private static List<Map<String, Object>> plugins(PluginRegistry registry) throws IOException {
    Map<Path, List<String>> types = new TreeMap<>();
    registry.extensions().forEach((type, ext) -> types.computeIfAbsent(ext.pluginPath(), k -> new ArrayList<>()).add(type));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Path jar : registry.pluginJars().stream().sorted().toList()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("jar", jar.getFileName().toString());
      try (JarFile file = new JarFile(jar.toFile())) {
        Attributes a = file.getManifest() == null ? new Attributes() : file.getManifest().getMainAttributes();
        p.put("id", a.getValue("Plugin-Id"));
        p.put("version", a.getValue("Plugin-Version"));
      }
      // the registry hashed each JAR when it loaded it; a JAR it does not know by that id is hashed here
      String digest = p.get("id") == null ? null : registry.pluginDigests().get((String) p.get("id"));
      p.put("sha256", digest != null ? digest : sha256(jar));
      p.put("types", types.getOrDefault(jar, List.of()));
      out.add(p);
    }
    return out;
  }

  private static Map<String, Object> hardware(int torchThreads) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("cores", Runtime.getRuntime().availableProcessors());
    h.put("cpu", cpuModel());
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      h.put("memory_bytes", os.getTotalMemorySize());
    }
    h.put("jvm_max_heap_bytes", Runtime.getRuntime().maxMemory());
    h.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    h.put("torch_threads", torchThreads);
    return h;
  }

  private static String cpuModel() {
    Path info = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(info)) {
      return null;
    }
    try (Stream<String> lines = Files.lines(info)) {
      return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
    } catch (IOException | java.io.UncheckedIOException e) {
      return null;
    }
  }

  private static String sha256(Path file) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return org.apache.commons.codec.digest.DigestUtils.sha256Hex(in);
    }
  }
}
