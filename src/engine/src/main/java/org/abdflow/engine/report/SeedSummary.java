package org.abdflow.engine.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs of one spec under several seeds, summarised: per (model, attack) the mean, sample
 * standard deviation and 95 % t interval ({@link Intervals#acrossSeeds}) of CA and ASR over the
 * seeds, with every seed's value kept, and the same for
 * Figure 2's similarities. Models keep the spec's stage order.
 */
public final class SeedSummary {
  /** One model under one attack over the runs that have it. */
  public record Row(String model, String defense, String attack, List<Long> seeds, List<Double> cleanAccuracy, List<Double> attackSuccessRate) {
    public double meanCa() {
      return mean(cleanAccuracy);
    }

    public double sdCa() {
      return sd(cleanAccuracy);
    }

    public double meanAsr() {
      return mean(attackSuccessRate);
    }

    public double sdAsr() {
      return sd(attackSuccessRate);
    }
  }

  /** One similarity pair of one similarity stage over the runs. */
  public record SimilarityRow(String stage, String model, String pair, List<Double> values) {}

  private final List<RunReport> runs;
  private final List<Row> rows = new ArrayList<>();
  private final List<SimilarityRow> similarities = new ArrayList<>();

  private SeedSummary(List<RunReport> runs) {
    this.runs = runs;
  }

  public static SeedSummary of(List<RunReport> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs to summarise");
    }
    SeedSummary s = new SeedSummary(runs);
    List<String> order = runs.get(0).stages().stream().map(RunReport.Stage::name).toList();
    Map<String, Row> byKey = new LinkedHashMap<>();
    for (RunReport r : runs) {
      for (TableOne.Column c : TableOne.columns(r.results(), order)) {
        Row row = byKey.computeIfAbsent(c.model() + "\u0000" + c.attack(),
            k -> new Row(c.model(), c.defense(), c.attack(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
        row.seeds().add(r.seed());
        row.cleanAccuracy().add(c.cleanAccuracy());
        row.attackSuccessRate().add(c.attackSuccessRate() == null ? Double.NaN : c.attackSuccessRate());
      }
      if (r.similarities() != null) {
        for (RunReport.Similarity sim : r.similarities()) {
          sim.values().forEach((pair, v) -> {
            String key = sim.stage() + "\u0000" + pair;
            SimilarityRow row = s.similarities.stream().filter(x -> (x.stage() + "\u0000" + x.pair()).equals(key)).findFirst()
                .orElseGet(() -> {
                  SimilarityRow n = new SimilarityRow(sim.stage(), sim.model(), pair, new ArrayList<>());
                  s.similarities.add(n);
                  return n;
                });
            row.values().add(v);
          });
        }
      }
    }
    s.rows.addAll(byKey.values());
    return s;
  }

  /** The runs summarised, in the order given. */
  public List<RunReport> runs() {
    return java.util.Collections.unmodifiableList(runs);
  }

  public List<Row> rows() {
    return rows;
  }

  /** The rows as the report carries them. */
  public List<RunReport.SeedRow> seedRows() {
    return rows.stream().map(r -> new RunReport.SeedRow(r.model(), r.defense(), r.attack(), List.copyOf(r.seeds()),
        List.copyOf(r.cleanAccuracy()), List.copyOf(r.attackSuccessRate()), r.meanCa(), r.sdCa(), r.meanAsr(), r.sdAsr())).toList();
  }

  public List<SimilarityRow> similarities() {
    return similarities;
  }

  static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Sample standard deviation (n − 1); 0 for a single run. */
  static double sd(List<Double> v) {
    if (v.size() < 2) {
      return 0;
    }
    double m = mean(v);
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    return Math.sqrt(ss / (v.size() - 1));
  }

  /** The mean ± sd table (in %), then each seed's values, then the similarities. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    List<Long> seeds = runs.stream().map(RunReport::seed).toList();
    md.append(String.format(Locale.ROOT, "# %s over seeds %s%n%n", runs.get(0).spec(), seeds));
    md.append(table(seedRows()));
    if (!similarities.isEmpty()) {
      md.append("\n| similarity stage | model | pair | 100 × cos, mean ± sd | per seed |\n|---|---|---|---:|---|\n");
      for (SimilarityRow s : similarities) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f ± %.2f | %s |%n", s.stage(), s.model(), s.pair().replace('_', ' '),
            mean(s.values()), sd(s.values()), s.values().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList()));
      }
    }
    md.append(String.format(Locale.ROOT, "%nWall time per run (s): %s%n",
        runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.wallSeconds())).toList()));
    return md.toString();
  }

  /** The mean ± sd table of {@code rows} (in %), each seed's values beside; a run with a seed list shows it too. */
  public static String table(List<RunReport.SeedRow> rows) {
    StringBuilder md = new StringBuilder();
    md.append("| attack | model | defense | CA (%) mean ± sd | CA 95 % CI | ASR (%) mean ± sd | ASR 95 % CI | CA per seed | ASR per seed |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---|---|\n");
    for (RunReport.SeedRow r : rows) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f ± %.1f | %s | %.1f ± %.1f | %s | %s | %s |%n", r.attack(), r.model(),
          r.defense(), 100 * r.cleanAccuracyMean(), 100 * r.cleanAccuracySd(), Intervals.percent(r.cleanAccuracyCi()),
          100 * r.attackSuccessRateMean(), 100 * r.attackSuccessRateSd(), Intervals.percent(r.attackSuccessRateCi()),
          pcts(r.cleanAccuracy()), pcts(r.attackSuccessRate())));
    }
    return md.toString();
  }

  static String pcts(List<Double> v) {
    return v.stream().map(x -> x.isNaN() ? "–" : String.format(Locale.ROOT, "%.1f", 100 * x)).toList().toString();
  }
}
