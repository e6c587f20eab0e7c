package org.abdflow.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a step's time goes, from a libtorch profiler trace (Chrome trace format, as DJL's
 * {@code JniUtils.stopProfile} and PyTorch's {@code export_chrome_trace} write it): each op's self
 * time (its duration minus the ops it called), summed per op and per kind of op, plus the time
 * between top-level ops, when the host language (Java and JNI, or Python) runs and no op does.
 */
final class OpProfile {
  /** Kinds of op, in the order they are printed; an op goes to the first whose pattern it contains. */
  static final Map<String, List<String>> KINDS = kinds();

  private final double steps;
  private final Map<String, Double> selfMicros = new HashMap<>();
  private final Map<String, Integer> calls = new HashMap<>();
  private double topLevelMicros;
  private double gapMicros;
  private int topLevelOps;

  private OpProfile(double steps) {
    this.steps = steps;
  }

  private static Map<String, List<String>> kinds() {
    Map<String, List<String>> k = new LinkedHashMap<>();
    k.put("convolution", List.of("conv", "mkldnn_convolution"));
    k.put("matrix product", List.of("aten::mm", "aten::bmm", "aten::addmm", "aten::baddbmm", "aten::matmul", "aten::linear", "aten::dot"));
    k.put("normalisation", List.of("batch_norm", "layer_norm"));
    k.put("memory (alloc, copy, fill)", List.of("aten::empty", "aten::copy_", "aten::_to_copy", "aten::fill_", "aten::zero", "aten::clone",
        "aten::cat", "aten::stack", "aten::resize", "aten::contiguous", "aten::zeros", "aten::full"));
    k.put("element-wise and other", List.of(""));
    return k;
  }

  /** Reads {@code trace} (a JSON array of events, or an object with {@code traceEvents}) covering {@code steps} steps. */
  static OpProfile read(Path trace, double steps) throws IOException {
    List<double[]> spans = new ArrayList<>(); // ts, dur, tid, name index
    List<String> names = new ArrayList<>();
    Map<String, Integer> nameIndex = new HashMap<>();
    ObjectMapper mapper = new ObjectMapper();
    try (InputStream in = Files.newInputStream(trace); JsonParser p = mapper.getFactory().createParser(in)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("traceEvents")) {
            break;
          }
          p.skipChildren();
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
          throw new IOException(trace + ": no traceEvents array");
        }
      } else if (t != JsonToken.START_ARRAY) {
        throw new IOException(trace + ": not a Chrome trace (neither an array nor an object)");
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        JsonNode e = mapper.readTree(p);
        if (!"X".equals(e.path("ph").asText()) || !e.has("dur")) {
          continue;
        }
        String name = e.path("name").asText();
        int idx = nameIndex.computeIfAbsent(name, n -> {
          names.add(n);
          return names.size() - 1;
        });
        spans.add(new double[] {e.path("ts").asDouble(), e.path("dur").asDouble(), e.path("tid").asText().hashCode(), idx});
      }
    }
    OpProfile out = new OpProfile(steps);
    out.accumulate(spans, names);
    return out;
  }

  private void accumulate(List<double[]> spans, List<String> names) {
    Map<Double, List<double[]>> byThread = new HashMap<>();
    for (double[] s : spans) {
      byThread.computeIfAbsent(s[2], k -> new ArrayList<>()).add(s);
    }
    for (List<double[]> thread : byThread.values()) {
      thread.sort(Comparator.<double[]>comparingDouble(s -> s[0]).thenComparingDouble(s -> -s[1]));
      List<double[]> stack = new ArrayList<>(); // {end, self, name}
      double lastTopEnd = Double.NaN;
      for (double[] s : thread) {
        while (!stack.isEmpty() && stack.get(stack.size() - 1)[0] <= s[0]) {
          close(stack.remove(stack.size() - 1), names);
        }
        if (stack.isEmpty()) {
          topLevelMicros += s[1];
          topLevelOps++;
          if (!Double.isNaN(lastTopEnd) && s[0] > lastTopEnd) {
            gapMicros += s[0] - lastTopEnd;
          }
          lastTopEnd = s[0] + s[1];
        } else {
          stack.get(stack.size() - 1)[1] -= s[1];
        }
        stack.add(new double[] {s[0] + s[1], s[1], s[3]});
      }
      while (!stack.isEmpty()) {
        close(stack.remove(stack.size() - 1), names);
      }
    }
  }

  private void close(double[] frame, List<String> names) {
    String name = names.get((int) frame[2]);
    selfMicros.merge(name, Math.max(0, frame[1]), Double::sum);
    calls.merge(name, 1, Integer::sum);
  }

  static String kind(String op) {
    for (Map.Entry<String, List<String>> k : KINDS.entrySet()) {
      for (String pattern : k.getValue()) {
        if (op.contains(pattern)) {
          return k.getKey();
        }
      }
    }
    return "element-wise and other";
  }

  /** Milliseconds per step of self time, per kind of op. */
  Map<String, Double> millisPerKind() {
    Map<String, Double> out = new LinkedHashMap<>();
    KINDS.keySet().forEach(k -> out.put(k, 0.0));
    selfMicros.forEach((op, us) -> out.merge(kind(op), us / 1000 / steps, Double::sum));
    return out;
  }

  /** Milliseconds per step of self time of the {@code n} costliest ops, costliest first. */
  Map<String, Double> topOps(int n) {
    Map<String, Double> out = new LinkedHashMap<>();
    selfMicros.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(n)
        .forEach(e -> out.put(e.getKey(), e.getValue() / 1000 / steps));
    return out;
  }

  double millisInOps() {
    return topLevelMicros / 1000 / steps;
  }

  /** Time between top-level ops, in the host language. */
  double millisBetweenOps() {
    return gapMicros / 1000 / steps;
  }

  double opsPerStep() {
    return topLevelOps / steps;
  }

  double millis(String op) {
    return selfMicros.getOrDefault(op, 0.0) / 1000 / steps;
  }

  double callsPerStep(String op) {
    return calls.getOrDefault(op, 0) / steps;
  }

  /**
   * The side-by-side table {@code bench --profile} prints ({@code reference} may be null), with each
   * side's step time measured without the profiler beside the profiled one (null where unknown): the profiler's own cost per op differs between the two sides and between
   * machines, so a table whose step grew a lot under it is read for shares, not times.
   */
  static String render(String benchmark, OpProfile djl, OpProfile reference, Double djlStepMillis, Double referenceStepMillis) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "profile of %s, ms per step (self time of the ops)%n", benchmark));
    sb.append(String.format(Locale.ROOT, "  %-44s %10s %10s%n", "", "DJL", reference == null ? "" : "PyTorch"));
    Map<String, Double> a = djl.millisPerKind();
    Map<String, Double> b = reference == null ? Map.of() : reference.millisPerKind();
    for (String k : a.keySet()) {
      sb.append(row(k, a.get(k), b.get(k)));
    }
    sb.append(row("all ops", djl.millisInOps(), reference == null ? null : reference.millisInOps()));
    sb.append(row("between ops (host language, JNI)", djl.millisBetweenOps(), reference == null ? null : reference.millisBetweenOps()));
    double djlProfiled = djl.millisInOps() + djl.millisBetweenOps();
    Double referenceProfiled = reference == null ? null : reference.millisInOps() + reference.millisBetweenOps();
    sb.append(row("step under the profiler (ops + between)", djlProfiled, referenceProfiled));
    if (djlStepMillis != null) {
      sb.append(row("step without the profiler (the bench)", djlStepMillis, reference == null ? null : referenceStepMillis));
    }
    sb.append(String.format(Locale.ROOT, "  %-44s %10.0f %10s%n", "top-level ops per step", djl.opsPerStep(),
        reference == null ? "" : String.format(Locale.ROOT, "%.0f", reference.opsPerStep())));
    if (djlStepMillis != null && djlProfiled > 1.5 * djlStepMillis) {
      sb.append(String.format(Locale.ROOT, "  the profiler slowed DJL's step %.1fx: read the rows as shares of the step, not as its times%n",
          djlProfiled / djlStepMillis));
    }
    sb.append("  costliest ops in DJL:\n");
    djl.topOps(10).forEach((op, ms) -> sb.append(String.format(Locale.ROOT, "    %-42s %10.2f %10s   %5.1f calls%n", op, ms,
        reference == null ? "" : String.format(Locale.ROOT, "%.2f", reference.millis(op)), djl.callsPerStep(op))));
    return sb.toString();
  }

  private static String row(String label, double djl, Double reference) {
    return String.format(Locale.ROOT, "  %-44s %10.2f %10s%n", label, djl, reference == null ? "" : String.format(Locale.ROOT, "%.2f", reference));
  }
}
