package org.abdflow.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one table {@code abdflow bench} prints: each benchmark's DJL figure, PyTorch eager's for the
 * same work where the reference has it, their ratio, and the step's arithmetic rate as a share of
 * the machine's measured fp32 matmul peak.
 */
final class BenchTable {
  /** A measured figure; {@code lowerIsBetter} for times, not for rates. {@code flops} per unit of work, or 0. */
  record Row(String name, String what, String unit, double djl, Double pytorch, boolean lowerIsBetter, double flops) {}

  private final List<Row> rows = new ArrayList<>();
  private Double peakGflops;

  void add(Row row) {
    rows.add(row);
  }

  List<Row> rows() {
    return rows;
  }

  /** The machine's fp32 matmul peak through DJL's libtorch, GFLOP/s. */
  void peak(double gflops) {
    peakGflops = gflops;
  }

  /** DJL / PyTorch as a time ratio: below 1 means DJL is faster, for times and for rates alike. */
  static Double timeRatio(Row r) {
    if (r.pytorch() == null || r.pytorch() <= 0) {
      return null;
    }
    return r.lowerIsBetter() ? r.djl() / r.pytorch() : r.pytorch() / r.djl();
  }

  /** GFLOP/s of a timed step ({@code djl} in ms per step), or null. */
  static Double gflops(Row r) {
    return r.flops() > 0 && r.unit().equals("ms/step") ? r.flops() / (r.djl() * 1e6) : null;
  }

  String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-14s %-62s %12s %12s %11s %8s %7s%n", "benchmark", "what", "DJL", "PyTorch", "DJL/PT time",
        "GFLOP/s", "of peak"));
    for (Row r : rows) {
      Double ratio = timeRatio(r);
      Double g = gflops(r);
      sb.append(String.format(Locale.ROOT, "%-14s %-62s %12s %12s %11s %8s %7s%n", r.name(), r.what(), fmt(r.djl()) + " " + shortUnit(r.unit()),
          r.pytorch() == null ? "-" : fmt(r.pytorch()) + " " + shortUnit(r.unit()), ratio == null ? "-" : String.format(Locale.ROOT, "%.2fx", ratio),
          g == null ? "-" : String.format(Locale.ROOT, "%.1f", g),
          g == null || peakGflops == null ? "-" : String.format(Locale.ROOT, "%.0f %%", 100 * g / peakGflops)));
    }
    return sb.toString();
  }

  private static String shortUnit(String unit) {
    return switch (unit) {
      case "ms/step" -> "ms";
      case "images/s" -> "img/s";
      default -> unit;
    };
  }

  private static String fmt(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
