package org.abdflow.engine.stages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abdflow.api.ArtifactGenerator;
import org.abdflow.api.Seeds;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.engine.plugins.PluginRegistry.LoadedExtension;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * An {@link ArtifactGenerator} extension as a stage. Inputs: the models the generator names (its
 * roles, in order) and records. Like training, one bounded task: the records are grouped under one
 * key, and the generator writes into a temporary folder that is renamed to {@code
 * artifacts/<stage>/<kind>} when complete, so a crash never leaves a half-written artifact; its
 * summary goes to {@code artifacts/<stage>/generation.json}.
 */
final class GeneratorStage extends ExtensionStage<ArtifactGenerator<?>> {
  static final String SUMMARY_FILE = "generation.json";

  GeneratorStage(LoadedExtension loaded) {
    super((ArtifactGenerator<?>) loaded.extension(), 1, Integer.MAX_VALUE);
  }

  @Override
  @SuppressWarnings("unchecked")
  public StageOutput expand(StageContext context, TransformSpec transform, List<StageOutput> inputs) {
    String name = transform.name();
    Object config = configure(schema().parse(transform.config()));
    ArtifactGenerator<Object> generator = (ArtifactGenerator<Object>) extension;
    List<String> roles = generator.modelRoles(config);
    List<StageOutput.Model> models = Stages.models(inputs);
    if (models.size() != roles.size()) {
      throw new IllegalArgumentException(name + " (" + transform.type() + ") takes " + roles.size() + " models, " + roles
          + " in that order, then records; got " + Stages.kinds(inputs));
    }
    List<PCollection<Sample>> data = Stages.records(transform, inputs);
    PCollection<Sample> all =
        data.size() == 1 ? data.get(0) : PCollectionList.of(data).apply(name + "/Union", Flatten.pCollections());
    List<PCollectionView<String>> checkpoints = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      checkpoints.add(models.get(i).checkpoint().apply(name + "/Model-" + roles.get(i), View.asSingleton()));
    }
    String kind = generator.artifactKind(config);
    ExtensionRef ref = context.extensionRef(transform.type(), transform.config());
    PCollection<String> artifact =
        all.apply(name + "/OneTask", WithKeys.of(name))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.sample()))
            .apply(name + "/Gather", GroupByKey.create())
            .apply(name + "/Generate",
                ParDo.of(new GenerateFn(name, kind, ref, context.seed(name), context.layout(), checkpoints)).withSideInputs(checkpoints))
            .setCoder(StringUtf8Coder.of());
    return new StageOutput.Artifact(name, artifact, kind);
  }

  /** Runs the generator on the worker that received the gathered records; emits the artifact folder. */
  static final class GenerateFn extends DoFn<KV<String, Iterable<Sample>>, String> {
    private final String stage;
    private final String kind;
    private final ExtensionRef ref;
    private final long runSeed;
    private final RunLayout layout;
    private final List<PCollectionView<String>> checkpoints;

    GenerateFn(String stage, String kind, ExtensionRef ref, long runSeed, RunLayout layout, List<PCollectionView<String>> checkpoints) {
      this.stage = stage;
      this.kind = kind;
      this.ref = ref;
      this.runSeed = runSeed;
      this.layout = layout;
      this.checkpoints = new ArrayList<>(checkpoints);
    }

    @ProcessElement
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void process(ProcessContext c) throws IOException {
      // as training: the wait for the cores is not the stage's work
      try (org.abdflow.model.ComputeThreads.Permit cores = Stages.heavyWork(c.getPipelineOptions())) {
        long start = System.nanoTime();
        Path dir = layout.stage(stage);
        Files.createDirectories(dir);
        // the records on local disk, sorted by id, read back when the generator asks
        try (SpooledRecords records = SpooledRecords.write(c.element().getValue(), dir.resolve(".records.spool"))) {
          generate(c, records, dir, start);
        }
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void generate(ProcessContext c, SpooledRecords records, Path dir, long start) throws IOException {
      StageMetrics.in(stage).inc(records.size());
      List<Path> models = new ArrayList<>();
      for (PCollectionView<String> v : checkpoints) {
        models.add(Path.of(c.sideInput(v)));
      }
      long seed = Seeds.forStage(runSeed, stage);
      Path out = dir.resolve(kind);
      StageCache cache = StageCache.of(layout);
      String key = c.getPipelineOptions().as(org.abdflow.engine.AbdflowOptions.class).getReuseStages()
          ? cacheKey(c, records, models) : null;
      java.util.Optional<Path> hit = key == null ? java.util.Optional.empty() : cache.find(stage, key);
      if (hit.isPresent()) {
        StageCache.reuse(stage, kind, hit.get(), dir, out, start);
        c.output(out.toString());
        return;
      }
      ArtifactGenerator.Input input = new ArtifactGenerator.Input() {
        @Override
        public List<Path> models() {
          return models;
        }

        @Override
        public List<Sample> records() {
          return records;
        }

        @Override
        public long seed() {
          return seed;
        }

        @Override
        public String stage() {
          return stage;
        }

        @Override
        public void progress(long done, long total, String detail) {
          org.abdflow.engine.progress.Progress.steps(stage, "steps", done, total, detail);
        }

        @Override
        public java.util.Optional<Path> epochCheckpoints() {
          return key == null ? java.util.Optional.empty() : java.util.Optional.of(cache.resumeDir(key));
        }
      };
      ExtensionRef.Resolved<ArtifactGenerator> resolved = ref.resolve(ArtifactGenerator.class);
      Path tmp = Files.createTempDirectory(dir, "." + kind + ".tmp-");
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("stage", stage);
      summary.put("type", ref.type());
      summary.put("records", records.size());
      summary.put("seed", seed);
      summary.putAll(((ArtifactGenerator<Object>) resolved.extension()).generate(resolved.config(), input, tmp));
      org.abdflow.engine.Abdflow.deleteTree(out);
      Files.move(tmp, out);
      TrainFn.writeAtomically(dir.resolve(SUMMARY_FILE), Json.MAPPER.writeValueAsString(summary));
      if (key != null) {
        cache.put(key, dir, List.of(kind, SUMMARY_FILE));
        org.abdflow.engine.Abdflow.deleteTree(cache.resumeDir(key));
      }
      StageMetrics.out(stage).inc();
      StageMetrics.worked(stage, start);
      c.output(out.toString());
    }

    /** As a training stage's key: the stage, its type and config, the run seed, code, threads, records and input models. */
    private String cacheKey(ProcessContext c, SpooledRecords records, List<Path> models) throws IOException {
      Map<String, String> parts = new LinkedHashMap<>();
      parts.put("type", ref.type());
      parts.put("stage", stage);
      parts.put("kind", kind);
      parts.put("config", Json.MAPPER.writeValueAsString(new java.util.TreeMap<>(ref.rawConfig())));
      parts.put("run_seed", Long.toString(runSeed));
      parts.put("threads", Integer.toString(Stages.torchThreads(c.getPipelineOptions())));
      parts.put("code", StageCache.codeDigest(ref.folders().stream().map(Path::toString).toList()));
      parts.put("records", records.digest());
      for (int i = 0; i < models.size(); i++) {
        parts.put("model" + i, StageCache.sha256(models.get(i)));
      }
      return StageCache.key(parts);
    }
  }
}