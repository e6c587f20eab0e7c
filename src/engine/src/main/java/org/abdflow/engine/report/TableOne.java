package org.abdflow.engine.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's Table I view of a run: for each attack, one column per model (in the spec's order)
 * with its CA and ASR. Built from the report's result rows.
 */
public final class TableOne {
  /** One model under one attack. */
  public record Column(String model, String defense, String attack, double cleanAccuracy, Double attackSuccessRate) {}

  private TableOne() {}

  /** Result rows ordered by attack, then by the order the models' stages appear in {@code stageOrder}. */
  public static List<Column> columns(List<RunReport.Result> results, List<String> stageOrder) {
    List<Column> out = new ArrayList<>();
    List<String> attacks = results.stream().map(RunReport.Result::attack).distinct().sorted().toList();
    for (String attack : attacks) {
      results.stream()
          .filter(r -> r.attack().equals(attack) && r.cleanAccuracy() != null)
          .sorted(java.util.Comparator.comparingInt(r -> rank(stageOrder, r.model())))
          .forEach(r -> out.add(new Column(r.model(), r.defense(), attack, r.cleanAccuracy(), r.attackSuccessRate())));
    }
    return out;
  }

  private static int rank(List<String> order, String model) {
    int i = order.indexOf(model);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  /** Markdown: a row per (attack, metric), a column per model. */
  public static String markdown(List<Column> columns) {
    StringBuilder md = new StringBuilder();
    Map<String, List<Column>> byAttack = new java.util.LinkedHashMap<>();
    columns.forEach(c -> byAttack.computeIfAbsent(c.attack(), k -> new ArrayList<>()).add(c));
    for (Map.Entry<String, List<Column>> e : byAttack.entrySet()) {
      List<Column> cs = e.getValue();
      md.append("| attack | metric |");
      cs.forEach(c -> md.append(' ').append(c.model()).append(c.defense().equals("none") || c.defense().equals(c.model()) ? "" : " (" + c.defense() + ")").append(" |"));
      md.append("\n|---|---|").append("---:|".repeat(cs.size())).append('\n');
      md.append("| ").append(e.getKey()).append(" | CA |");
      cs.forEach(c -> md.append(' ').append(pct(c.cleanAccuracy())).append(" |"));
      md.append("\n| ").append(e.getKey()).append(" | ASR |");
      cs.forEach(c -> md.append(' ').append(pct(c.attackSuccessRate())).append(" |"));
      md.append("\n\n");
    }
    return md.toString();
  }

  private static String pct(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.1f", 100 * v);
  }
}
