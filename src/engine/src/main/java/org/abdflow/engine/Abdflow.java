package org.abdflow.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.abdflow.engine.plugins.JarDigests;
import org.abdflow.engine.plugins.PluginConflictException;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.report.ReportBuilder;
import org.abdflow.engine.report.ReportWriter;
import org.abdflow.engine.report.RunManifest;
import org.abdflow.engine.report.RunReport;
import org.abdflow.engine.runner.RunnerSupport;
import org.abdflow.engine.spec.PinnedPlugin;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.engine.spec.SpecError;
import org.abdflow.engine.spec.SpecException;
import org.abdflow.engine.spec.SpecLoader;
import org.abdflow.engine.spec.SpecValidator;
import org.abdflow.engine.stages.GraphBuilder;
import org.abdflow.engine.stages.RunLayout;
import org.abdflow.engine.stages.StageCatalog;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The engine's front door: validate a spec, run it, list the plugins. A run returns its report, so
 * a run is also a test (as DJL's examples return their training result).
 */
public final class Abdflow {
  private Abdflow() {}

  /** The repository root: {@code -Dabdflow.home} (set by the launcher), {@code -Dabdflow.root} (tests), or the working directory. */
  public static Path home() {
    return Path.of(System.getProperty("abdflow.home", System.getProperty("abdflow.root", ".")));
  }

  /**
   * The default plugin folder: {@code -Dabdflow.plugins}, else {@code target/plugins} under the
   * repository root ({@code -Dabdflow.home}, set by the launcher, or the working directory).
   */
  public static Path defaultPluginDir() {
    String explicit = System.getProperty("abdflow.plugins");
    if (explicit != null) {
      return Path.of(explicit);
    }
    return home().resolve("target").resolve("plugins");
  }

  /** The registry over the default folder, the spec's folders and {@code extra}. */
  public static PluginRegistry registry(PipelineSpec spec, List<Path> extra) throws SpecException {
    List<Path> folders = new ArrayList<>();
    folders.add(defaultPluginDir());
    if (spec != null) {
      folders.addAll(spec.pluginDirs());
    }
    folders.addAll(extra);
    List<Path> missing = PluginRegistry.missingFolders(folders);
    if (!missing.isEmpty()) {
      Path file = spec == null ? Path.of("<command line>") : spec.file();
      List<SpecError> errors = new ArrayList<>();
      for (Path m : missing) {
        errors.add(SpecError.create(org.abdflow.engine.spec.SourceLocation.of(file, 1, 1), "plugins",
            "plugin folder " + m + " does not exist" + missingFolderHint(m, spec, extra)));
      }
      throw new SpecException(errors);
    }
    if (spec != null) {
      checkPinnedPlugins(spec.pinnedPlugins());
    }
    try {
      return PluginRegistry.current(folders);
    } catch (PluginConflictException e) {
      Path file = spec == null ? Path.of("<command line>") : spec.file();
      List<SpecError> errors = new ArrayList<>();
      for (String conflict : e.conflicts()) {
        errors.add(SpecError.create(org.abdflow.engine.spec.SourceLocation.of(file, 1, 1), "plugins", conflict));
      }
      throw new SpecException(errors);
    }
  }

  /** What to do about a missing plugin folder, by where it was named. */
  private static String missingFolderHint(Path folder, PipelineSpec spec, List<Path> extra) {
    if (folder.equals(defaultPluginDir())) {
      return System.getProperty("abdflow.plugins") != null
          ? " (named by -Dabdflow.plugins)"
          : "; build the plugins: `./abdflow` does on first use, or `mvn -q package -DskipTests` at the repository root";
    }
    if (extra.contains(folder)) {
      return " (given with --plugins; create it and put the plugin JARs in it, or fix the path)";
    }
    if (spec != null && spec.pluginDirs().contains(folder)) {
      return " (named by the spec's plugins: list, relative to the spec's folder " + spec.file().toAbsolutePath().getParent() + ")";
    }
    return "";
  }

  /** Refuses the run, before any plugin is loaded, if a JAR the spec pins is missing or has another digest. */
  static void checkPinnedPlugins(List<PinnedPlugin> pins) throws SpecException {
    List<SpecError> errors = new ArrayList<>();
    for (PinnedPlugin pin : pins) {
      String problem;
      if (!Files.isRegularFile(pin.jar())) {
        problem = "pinned plugin JAR " + pin.jar() + " does not exist" + org.abdflow.engine.spec.SpecValidator.nearbyFile(pin.jar(),
            "the spec's folder");
      } else {
        String actual;
        try {
          actual = JarDigests.sha256(pin.jar());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read pinned plugin JAR " + pin.jar(), e);
        }
        problem = actual.equals(pin.sha256()) ? null
            : "plugin JAR " + pin.jar() + " has sha256 " + actual + ", the spec expects " + pin.sha256()
                + "; refusing to load it (rebuilt, or replaced?). If this JAR is the one to run, pin it with sha256: " + actual;
      }
      if (problem != null) {
        errors.add(SpecError.create(pin.location(), "plugins", problem));
      }
    }
    if (!errors.isEmpty()) {
      throw new SpecException(errors);
    }
  }

  /**
   * Loads and checks a spec as a whole, and builds its Beam graph without running it, so that
   * everything that can be known before the run (types, inputs, config values, missing files) is.
   */
  public static PipelineSpec validate(Path specFile, List<Path> extraPlugins) throws SpecException {
    return validate(specFile, extraPlugins, java.util.Map.of());
  }

  /** {@link #validate(Path, List)} with values for the spec's {@code params}. */
  public static PipelineSpec validate(Path specFile, List<Path> extraPlugins, java.util.Map<String, String> params) throws SpecException {
    PipelineSpec loaded = SpecLoader.load(specFile, params);
    StageCatalog catalog = new StageCatalog(registry(loaded, extraPlugins));
    PipelineSpec spec = loaded.withPathsResolved(catalog);
    List<SpecError> errors = SpecValidator.validate(spec, catalog);
    if (!errors.isEmpty()) {
      throw new SpecException(errors);
    }
    Path scratch;
    try {
      scratch = Files.createTempDirectory("abdflow-validate");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      PipelineOptions options = PipelineOptionsFactory.create();
      GraphBuilder.build(Pipeline.create(options), spec, catalog, RunLayout.at(scratch));
    } finally {
      deleteTree(scratch);
    }
    return spec;
  }

  /**
   * Runs a spec and returns its report. The run writes into a sibling folder {@code OUTPUT.partial}
   * and replaces {@code OUTPUT} only when it has finished, so a failed or interrupted run never
   * leaves a half-overwritten output; the previous output is kept as {@code OUTPUT.previous}.
   */
  public static RunReport run(RunRequest request) throws SpecException, IOException {
    long start = System.nanoTime();
    Prepared prepared = prepare(request);
    if (prepared.runner().templateLocation(prepared.options()).isPresent()) {
      throw new IllegalArgumentException("the " + prepared.runner().name()
          + " runner is set to write a job template, which runs nothing; write it with Abdflow.writeTemplate");
    }
    Path output = request.output().toAbsolutePath().normalize();
    Path partial = output.resolveSibling(output.getFileName() + ".partial");
    deleteTree(partial);
    Files.createDirectories(partial);
    RunLayout layout = RunLayout.at(partial);
    RunManifest.write(RunManifest.describe(request.spec(), prepared.spec(),
        prepared.catalog().registry(), prepared.options().getRunner().getSimpleName(),
        prepared.options().as(AbdflowOptions.class).getTorchThreads()), partial);

    // a rerun whose spec, code and inputs are unchanged takes the finished run and runs nothing
    AbdflowOptions own = prepared.options().as(AbdflowOptions.class);
    String runner = prepared.options().getRunner().getSimpleName();
    Optional<String> runKey = own.getReuseStages()
        ? org.abdflow.engine.stages.RunReuse.key(prepared.spec(), prepared.catalog(), runner, own.getTorchThreads()) : Optional.empty();
    Optional<Path> earlier = runKey.isEmpty() ? Optional.empty() : org.abdflow.engine.stages.RunReuse.find(layout, runKey.get());
    if (earlier.isPresent()) {
      org.abdflow.engine.stages.RunReuse.restore(earlier.get(), layout);
      RunReport report = org.abdflow.engine.stages.RunReuse.reused(ReportWriter.read(partial.resolve("report.json")),
          request.spec().toString(), (System.nanoTime() - start) / 1e9);
      ReportWriter.write(report, partial);
      publish(partial, output);
      org.slf4j.LoggerFactory.getLogger(Abdflow.class).info("reused every stage of a finished run with the same spec, code and inputs ({})",
          earlier.get());
      org.abdflow.engine.progress.Progress.event("reused every stage of a finished run with the same spec, code and inputs");
      return report;
    }

    Pipeline pipeline = build(prepared, layout);
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended " + state + "; partial output left in " + partial);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    RunReport report =
        ReportBuilder.build(request.spec().toString(), prepared.spec(), prepared.options().getRunner().getSimpleName(), layout, result, wall);
    ReportWriter.write(report, partial);
    if (runKey.isPresent()) {
      org.abdflow.engine.stages.RunReuse.store(layout, runKey.get());
    }
    publish(partial, output);
    return report;
  }

  /** The runner's options with abdflow's ({@link AbdflowOptions}) known and set: the thread count is fixed here, on the driver. */
  private static PipelineOptions options(RunnerSupport runner, List<String> beamArgs) {
    PipelineOptionsFactory.register(AbdflowOptions.class);
    PipelineOptions options = runner.options(beamArgs);
    AbdflowOptions own = options.as(AbdflowOptions.class);
    if (own.getTorchThreads() <= 0) {
      own.setTorchThreads(org.abdflow.model.ComputeThreads.defaultThreads());
    }
    return options;
  }

  /** True when the request's runner options ask for a job template (Dataflow's {@code --templateLocation}) rather than a run. */
  public static boolean writesTemplate(RunRequest request) {
    RunnerSupport runner = RunnerSupport.named(request.runner());
    return runner.templateLocation(options(runner, request.beamArgs())).isPresent();
  }

  /**
   * Translates a spec into the runner's job template and returns where it was written; nothing
   * executes. A job later started from the template writes its stage outputs under the request's
   * output folder; the report is the driver's work, so such a job leaves none.
   */
  public static String writeTemplate(RunRequest request) throws SpecException, IOException {
    Prepared prepared = prepare(request);
    String location = prepared.runner().templateLocation(prepared.options()).orElseThrow(() ->
        new IllegalArgumentException("the " + prepared.runner().name() + " runner was given no template location"));
    Pipeline pipeline = build(prepared, RunLayout.at(request.output().toAbsolutePath().normalize()));
    pipeline.run();
    return location;
  }

  private record Prepared(PipelineSpec spec, StageCatalog catalog, RunnerSupport runner, PipelineOptions options) {}

  /** Loads, seeds and validates the spec, and parses the runner's options: every error before a run. */
  private static Prepared prepare(RunRequest request) throws SpecException {
    PipelineSpec loaded = SpecLoader.load(request.spec(), request.params());
    if (request.seed().isPresent() && !loaded.seeds().isEmpty()) {
      throw new SpecException(SpecError.create(org.abdflow.engine.spec.SourceLocation.of(loaded.file(), 1, 1), "pipeline.matrix.seed",
          "the spec runs seeds " + loaded.seeds() + " itself; drop --seed " + request.seed().getAsLong() + ", or the seed list"));
    }
    PipelineSpec seeded = request.seed().isPresent() ? loaded.withSeed(request.seed().getAsLong()) : loaded;
    StageCatalog catalog = new StageCatalog(registry(seeded, request.pluginDirs()));
    PipelineSpec spec = seeded.withPathsResolved(catalog);
    List<SpecError> errors = SpecValidator.validate(spec, catalog);
    if (!errors.isEmpty()) {
      throw new SpecException(errors);
    }
    RunnerSupport runner = RunnerSupport.named(request.runner());
    PipelineOptions options = options(runner, request.beamArgs());
    return new Prepared(spec, catalog, runner, options);
  }

  /** The spec's Beam graph on the runner, with the plugin JARs staged when its workers are elsewhere. */
  private static Pipeline build(Prepared prepared, RunLayout layout) throws SpecException {
    Pipeline pipeline = Pipeline.create(prepared.options());
    PluginRegistry registry = prepared.catalog().registry();
    boolean pluginsStaged = prepared.runner().stagePlugins(prepared.options(), registry.pluginJars());
    if (pluginsStaged) {
      PluginRegistry.stagedFrom(registry.folders());
    }
    GraphBuilder.build(pipeline, prepared.spec(), prepared.catalog(), layout, pluginsStaged);
    return pipeline;
  }

  /** Puts a finished run in place: the old output becomes {@code .previous}, then one rename. */
  private static void publish(Path partial, Path output) throws IOException {
    if (Files.exists(output)) {
      Path previous = output.resolveSibling(output.getFileName() + ".previous");
      deleteTree(previous);
      Files.move(output, previous);
    }
    Files.move(partial, output);
  }

  /** Deletes a folder and everything below it; nothing when it does not exist. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
