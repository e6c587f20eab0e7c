package org.abdflow.engine.stages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.abdflow.api.Source;
import org.abdflow.api.config.ConfigKey;
import org.abdflow.api.config.ConfigType;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.engine.report.RunReport;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.engine.spec.TypeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole finished run, kept in the stage cache under a key computed on the driver before anything
 * runs: the expanded spec (every transform's type, name, inputs, config and seed), the runner and
 * thread count, the code, and the contents of every input: the files and folders each source
 * reads ({@link Source#inputs}) and every path in a config. A rerun with the same key takes the
 * finished output and runs no stage at all, so every stage is reused, record stages included. A
 * source that cannot name its inputs turns this off for its spec; the stage cache still applies.
 */
public final class RunReuse {
  private static final Logger LOG = LoggerFactory.getLogger(RunReuse.class);
  private static final String PREFIX = "run-";
  /** The run's own manifest, written fresh by every run; the cache's manifest has the same name. */
  private static final String RUN_MANIFEST = "manifest.json";

  private RunReuse() {}

  /** The run's key, or empty (with the reason logged) when some input cannot be named. */
  public static Optional<String> key(PipelineSpec spec, StageCatalog catalog, String runner, int threads) throws IOException {
    List<Path> folders = catalog.registry().folders();
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("type", "run/1");
    parts.put("runner", runner);
    parts.put("threads", Integer.toString(threads));
    parts.put("seed", spec.seed() + " " + spec.seeds());
    parts.put("code", StageCache.codeDigest(folders.stream().map(Path::toString).toList()));
    String base = spec.file().toAbsolutePath().getParent().toString();
    for (TransformSpec t : spec.transforms()) {
      String id = "transform " + t.name();
      parts.put(id, t.type() + " " + t.inputs() + " seed " + spec.seedOf(t.name()) + " "
          + Json.MAPPER.writeValueAsString(new TreeMap<>(t.config())));
      Optional<TypeInfo> info = catalog.lookup(t.type());
      if (info.isEmpty()) {
        return Optional.empty();
      }
      for (ConfigKey k : info.get().schema().keys()) {
        if (k.type() == ConfigType.PATH && t.config().get(k.name()) instanceof String p && !p.isBlank()) {
          parts.put(id + " path " + k.name(), digest(Path.of(p)));
        }
      }
      Optional<org.abdflow.engine.plugins.PluginRegistry.LoadedExtension> ext = catalog.registry().find(t.type());
      if (ext.isPresent() && ext.get().extension() instanceof Source) {
        ExtensionRef ref = new ExtensionRef(folders, t.type(), t.config());
        @SuppressWarnings({"rawtypes", "unchecked"})
        ExtensionRef.Resolved<Source> resolved = ref.resolve(Source.class);
        @SuppressWarnings("unchecked")
        Optional<List<Path>> inputs = ((Source<Object>) resolved.extension())
            .inputs(resolved.config(), new SpecSourceContext(base, spec.seedOf(t.name()), t.name()));
        if (inputs.isEmpty()) {
          LOG.info("{} ({}) does not name the files it reads: the run is not reused whole", t.name(), t.type());
          return Optional.empty();
        }
        int i = 0;
        for (Path p : inputs.get()) {
          parts.put(id + " input " + i++, p.toAbsolutePath().normalize() + " " + digest(p));
        }
      }
    }
    return Optional.of(StageCache.key(parts));
  }

  private static String digest(Path p) throws IOException {
    return Files.exists(p) ? StageCache.sha256(p) : "missing";
  }

  /** The verified finished run of {@code key} in the cache of runs laid out like {@code layout}. */
  public static Optional<Path> find(RunLayout layout, String key) throws IOException {
    return StageCache.of(layout).find("run", PREFIX + key);
  }

  /** Keeps the finished run in {@code layout} (all but its manifest) under {@code key}. */
  public static void store(RunLayout layout, String key) throws IOException {
    Path run = layout.rootPath();
    List<String> names = new ArrayList<>();
    try (Stream<Path> top = Files.list(run)) {
      top.map(p -> p.getFileName().toString()).filter(n -> !n.equals(RUN_MANIFEST)).sorted().forEach(names::add);
    }
    StageCache.of(layout).put(PREFIX + key, run, names);
  }

  /** Copies a kept run into {@code layout}'s folder, beside the new run's manifest. */
  public static void restore(Path entry, RunLayout layout) throws IOException {
    StageCache.restore(entry, layout.rootPath());
  }

  /**
   * The earlier run's report as this run's: the same results, this run's wall time, and every
   * stage reused (no work, so no seconds or instants; its record counts are the earlier run's).
   */
  public static RunReport reused(RunReport earlier, String spec, double wallSeconds) {
    List<RunReport.Stage> stages = earlier.stages().stream()
        .map(s -> new RunReport.Stage(s.name(), s.type(), 0, s.recordsIn(), s.recordsOut(), s.deadLetters(), null, null, Boolean.TRUE))
        .toList();
    return new RunReport(spec, earlier.runner(), earlier.seed(), wallSeconds, stages, earlier.results(), earlier.deadLetters(),
        earlier.training(), earlier.similarities(), earlier.patches(), earlier.galleries(), earlier.seeds(), earlier.seedSummary());
  }
}
