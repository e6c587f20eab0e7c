package org.abdflow.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.model.adv.AdvPatch;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.engine.stages.RunLayout;
import org.abdflow.engine.stages.StageMetrics;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Assembles the report from the runner's counters and the artifacts the stages wrote. */
public final class ReportBuilder {
  private ReportBuilder() {}

  public static RunReport build(String specLabel, PipelineSpec spec, String runner, RunLayout layout, PipelineResult result,
      double wallSeconds) throws IOException {
    Map<String, Long> counters = counters(result);
    Map<String, long[]> active = activeMillis(result);
    List<RunReport.Stage> stages = new ArrayList<>();
    long deadTotal = 0;
    Map<String, String> defenses = new HashMap<>();
    Map<String, String> attackTypes = new HashMap<>();
    for (TransformSpec t : spec.transforms()) {
      String ns = StageMetrics.namespace(t.name());
      long dead = counters.getOrDefault(ns + "#" + StageMetrics.DEAD_LETTERS, 0L);
      deadTotal += dead;
      long[] span = active.get(ns);
      stages.add(new RunReport.Stage(t.name(), t.type(), counters.getOrDefault(ns + "#" + StageMetrics.NANOS, 0L) / 1e9,
          counters.getOrDefault(ns + "#" + StageMetrics.RECORDS_IN, 0L), counters.getOrDefault(ns + "#" + StageMetrics.RECORDS_OUT, 0L), dead,
          span == null ? null : span[0], span == null ? null : span[1],
          counters.getOrDefault(ns + "#" + StageMetrics.REUSED, 0L) > 0
              && counters.getOrDefault(ns + "#" + StageMetrics.COMPUTED, 0L) == 0 ? Boolean.TRUE : null));
      Object defense = t.config().get("defense");
      defenses.put(t.name(), defense instanceof String d ? d : "none");
      attackTypes.put(t.name(), t.type().toLowerCase(Locale.ROOT));
    }
    List<RunReport.Result> results = results(spec, layout, defenses, attackTypes);
    List<RunReport.Similarity> similarities = similarities(spec, layout);
    List<RunReport.SeedRow> seedRows = spec.seeds().isEmpty() ? null
        : SeedSummary.of(perSeed(specLabel, runner, spec, wallSeconds, stages, results, similarities)).seedRows();
    return new RunReport(specLabel, runner, spec.seed(), wallSeconds, stages, results, deadTotal, training(spec, layout), similarities,
        patches(spec, layout), galleries(spec, layout), spec.seeds().isEmpty() ? null : spec.seeds(), seedRows);
  }

  /**
   * A run whose spec lists seeds, cut into one report per seed with the spec's own names, as if
   * each seed's copy of the pipeline had run alone (for the mean ± sd over seeds).
   */
  static List<RunReport> perSeed(String specLabel, String runner, PipelineSpec spec, double wallSeconds, List<RunReport.Stage> stages,
      List<RunReport.Result> results, List<RunReport.Similarity> similarities) {
    Map<String, TransformSpec> byName = new HashMap<>();
    spec.transforms().forEach(t -> byName.put(t.name(), t));
    java.util.function.Function<String, String> base = n -> byName.containsKey(n) ? byName.get(n).baseName() : n;
    List<RunReport> out = new ArrayList<>();
    for (long seed : spec.seeds()) {
      java.util.function.Predicate<String> ofSeed = n -> byName.containsKey(n) && spec.seedOf(n) == seed;
      List<RunReport.Stage> st = stages.stream().filter(x -> ofSeed.test(x.name()))
          .map(x -> new RunReport.Stage(base.apply(x.name()), x.type(), x.seconds(), x.recordsIn(), x.recordsOut(), x.deadLetters(),
              x.workStartMs(), x.workEndMs(), x.reused())).toList();
      List<RunReport.Result> rs = results.stream().filter(x -> ofSeed.test(x.model()))
          .map(x -> new RunReport.Result(base.apply(x.eval()), base.apply(x.model()), x.defense(), x.attack(),
              x.attackStage() == null ? null : base.apply(x.attackStage()), x.cleanAccuracy(), x.cleanTop5(), x.attackSuccessRate(),
              x.attackSuccessRateAll(), x.evalImages(), x.triggeredImages(), x.poisonRate())).toList();
      List<RunReport.Similarity> sims = similarities == null ? null : similarities.stream().filter(x -> ofSeed.test(x.stage()))
          .map(x -> new RunReport.Similarity(base.apply(x.stage()), base.apply(x.model()), base.apply(x.attack()), x.targetCaption(),
              x.images(), x.values())).toList();
      out.add(new RunReport(specLabel, runner, seed, wallSeconds, st, rs, 0, null, sims, null, null));
    }
    return out;
  }

  private static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> out = new HashMap<>();
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> c : q.getCounters()) {
      String key = c.getName().getNamespace() + "#" + c.getName().getName();
      Long v;
      try {
        v = c.getCommitted();
      } catch (UnsupportedOperationException e) {
        v = c.getAttempted();
      }
      out.merge(key, v == null ? 0L : v, Long::sum);
    }
    return out;
  }

  /** Per stage namespace, the first and last instant (epoch ms) of work over every worker. */
  private static Map<String, long[]> activeMillis(PipelineResult result) {
    Map<String, long[]> out = new HashMap<>();
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<org.apache.beam.sdk.metrics.DistributionResult> d : q.getDistributions()) {
      if (!d.getName().getName().equals(StageMetrics.ACTIVE_MILLIS)) {
        continue;
      }
      org.apache.beam.sdk.metrics.DistributionResult v;
      try {
        v = d.getCommitted();
      } catch (UnsupportedOperationException e) {
        v = d.getAttempted();
      }
      if (v == null || v.getCount() == 0) {
        continue;
      }
      out.merge(d.getName().getNamespace(), new long[] {v.getMin(), v.getMax()},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    return out;
  }

  /** One row per (evaluation, model, attack); clean accuracy comes from the same model's clean images. */
  private static List<RunReport.Result> results(PipelineSpec spec, RunLayout layout, Map<String, String> defenses,
      Map<String, String> attackTypes) throws IOException {
    List<RunReport.Result> rows = new ArrayList<>();
    if (!Files.isDirectory(layout.results())) {
      return rows;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(layout.results())) {
      files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
    }
    for (Path file : files) {
      String eval = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
      // model -> attack -> metric -> (value, count)
      Map<String, Map<String, Map<String, double[]>>> byModel = new LinkedHashMap<>();
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = ReportWriter.JSON.readTree(line);
        byModel.computeIfAbsent(n.get("model").asText(), k -> new LinkedHashMap<>())
            .computeIfAbsent(n.get("attack").asText(), k -> new LinkedHashMap<>())
            .put(n.get("metric").asText(), new double[] {n.get("value").asDouble(), n.get("count").asDouble()});
      }
      for (String model : byModel.keySet().stream().sorted().toList()) {
        Map<String, Map<String, double[]>> attacks = byModel.get(model);
        Map<String, double[]> clean = attacks.getOrDefault("none", Map.of());
        List<String> triggered = attacks.keySet().stream().filter(a -> !a.equals("none")).sorted().toList();
        long images = (long) value(clean, "clean_accuracy", 1);
        if (triggered.isEmpty()) {
          rows.add(new RunReport.Result(eval, model, defenses.getOrDefault(model, "none"), "none", null,
              value(clean, "clean_accuracy"), value(clean, "clean_top5"), null, null, images, null));
        }
        for (String a : triggered) {
          Map<String, double[]> m = attacks.get(a);
          double[] asr = m.get("attack_success_rate");
          rows.add(new RunReport.Result(eval, model, defenses.getOrDefault(model, "none"), attackTypes.getOrDefault(a, a), a,
              value(clean, "clean_accuracy"), value(clean, "clean_top5"), value(m, "attack_success_rate"),
              value(m, "attack_success_rate_all"), images, asr == null ? null : (long) asr[1], poisonRate(spec, model, a)));
        }
      }
    }
    return rows;
  }

  /**
   * The poisoning rate of the attack stage {@code attack} when {@code model} descends from it (the
   * attack poisoned data the model, or a model it was fine-tuned from, was trained on): the x of
   * an ASR vs poison rate grid. Null when the model does not descend from it, or when the attack
   * poisons an exact {@code count} of records instead of a rate.
   */
  static Double poisonRate(PipelineSpec spec, String model, String attack) {
    if (attack == null || !descendsFrom(spec, model, attack)) {
      return null;
    }
    TransformSpec t = spec.transform(attack).orElseThrow();
    Map<String, Object> keys = new HashMap<>();
    for (org.abdflow.api.config.ConfigKey k : PoisoningOptions.SCHEMA.keys()) {
      if (t.config().containsKey(k.name())) {
        keys.put(k.name(), t.config().get(k.name()));
      }
    }
    try {
      PoisoningOptions options = PoisoningOptions.from(PoisoningOptions.SCHEMA.parse(keys));
      return options.count() >= 0 ? null : options.rate();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether {@code ancestor} is among the transitive inputs of {@code name}. */
  private static boolean descendsFrom(PipelineSpec spec, String name, String ancestor) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      TransformSpec t = spec.transform(todo.pop()).orElse(null);
      if (t == null) {
        continue;
      }
      for (String in : t.inputs()) {
        if (in.equals(ancestor)) {
          return true;
        }
        if (seen.add(in)) {
          todo.push(in);
        }
      }
    }
    return false;
  }

  private static Double value(Map<String, double[]> m, String metric) {
    double[] v = m.get(metric);
    return v == null ? null : v[0];
  }

  private static double value(Map<String, double[]> m, String metric, int index) {
    double[] v = m.get(metric);
    return v == null ? 0 : v[index];
  }

  /** What the spec's similarity stages measured (each writes a similarities.json artifact). */
  private static List<RunReport.Similarity> similarities(PipelineSpec spec, RunLayout layout) throws IOException {
    List<RunReport.Similarity> out = new ArrayList<>();
    for (TransformSpec t : spec.transforms()) {
      Path f = layout.stage(t.name()).resolve("similarities.json");
      if (Files.exists(f)) {
        JsonNode n = ReportWriter.JSON.readTree(f.toFile());
        Map<String, Double> values = new LinkedHashMap<>();
        n.get("similarity").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asDouble()));
        out.add(new RunReport.Similarity(t.name(), n.get("model").asText(), n.get("attack").asText(), n.get("target_caption").asText(),
            n.get("images").asInt(), values));
      }
    }
    return out.isEmpty() ? null : out;
  }

  /** Learned patches (their PNG, relative to the run folder), by the stage that made them. */
  private static Map<String, String> patches(PipelineSpec spec, RunLayout layout) {
    Map<String, String> out = new LinkedHashMap<>();
    for (TransformSpec t : spec.transforms()) {
      Path png = layout.stage(t.name()).resolve(AdvPatch.ARTIFACT_KIND).resolve(AdvPatch.IMAGE_FILE);
      if (Files.exists(png)) {
        out.put(t.name(), layout.rootPath().relativize(png).toString());
      }
    }
    return out.isEmpty() ? null : out;
  }

  /** Trigger galleries of the evaluations (PNG relative to the run folder), keyed "eval/attack". */
  private static Map<String, String> galleries(PipelineSpec spec, RunLayout layout) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (TransformSpec t : spec.transforms()) {
      Path dir = layout.stage(t.name()).resolve("gallery");
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          for (Path png : s.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
            out.put(t.name() + "/" + png.getFileName().toString().replaceFirst("\\.png$", ""), layout.rootPath().relativize(png).toString());
          }
        }
      }
    }
    return out.isEmpty() ? null : out;
  }

  private static Map<String, RunReport.Training> training(PipelineSpec spec, RunLayout layout) throws IOException {
    Map<String, RunReport.Training> out = new LinkedHashMap<>();
    for (TransformSpec t : spec.transforms()) {
      Path f = layout.stage(t.name()).resolve("training.json");
      if (Files.exists(f)) {
        JsonNode n = ReportWriter.JSON.readTree(f.toFile());
        List<Double> losses = new ArrayList<>();
        n.get("loss_per_epoch").forEach(x -> losses.add(x.asDouble()));
        out.put(t.name(), new RunReport.Training(n.get("records").asLong(), n.get("poisoned").asLong(), n.get("epochs").asInt(),
            n.get("steps").asLong(), n.get("seconds").asDouble(), losses));
      }
    }
    return out;
  }
}
