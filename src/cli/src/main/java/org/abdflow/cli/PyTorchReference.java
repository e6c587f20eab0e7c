package org.abdflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the PyTorch eager reference ({@code src/bench/pytorch/clip_tiny_eager.py}, Debian's
 * {@code python3-torch}) with the same threads and step counts, and puts its figures and FLOP
 * counts beside DJL's in the bench table.
 */
final class PyTorchReference {
  static final String PYTHON = "/usr/bin/python3";
  static final String SCRIPT = "src/bench/pytorch/clip_tiny_eager.py";

  private PyTorchReference() {}

  /** Runs the reference for {@code names} and merges; says why and returns when there is no PyTorch. */
  static void merge(BenchTable table, List<String> names, int threads, int warmup, int steps, int batch, int patchBatch,
      Path profile, int profileSteps)
      throws IOException, InterruptedException {
    Path home = Path.of(System.getProperty("abdflow.home", "."));
    Path script = home.resolve(SCRIPT);
    if (!Files.isExecutable(Path.of(PYTHON)) || !Files.isRegularFile(script)) {
      System.out.println("PyTorch reference: skipped (" + PYTHON + " or " + script + " missing)");
      return;
    }
    Process check = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
    check.getInputStream().readAllBytes();
    if (check.waitFor() != 0) {
      System.out.println("PyTorch reference: skipped (no torch for " + PYTHON + "; apt-get install python3-torch libopenblas0-pthread)");
      return;
    }
    List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), "--threads", String.valueOf(threads), "--warmup",
        String.valueOf(warmup), "--steps", String.valueOf(steps), "--batch", String.valueOf(batch), "--patch-batch", String.valueOf(patchBatch), "--only", String.join(",", names)));
    if (profile != null) {
      command.addAll(List.of("--profile", profile.toString(), "--profile-steps", String.valueOf(profileSteps)));
    }
    System.out.println("PyTorch reference: " + String.join(" ", command));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    // Debian's torch was fastest waiting passively (142 ms a train step, against 212 ms with
    // libgomp's default spinning): its OpenMP threads share the cores with OpenBLAS's own
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("the PyTorch reference failed (exit " + p.exitValue() + "); its output:\n" + out);
    }
    Map<String, JsonNode> byName = parse(out);
    table.rows().replaceAll(r -> {
      JsonNode ref = byName.get(r.name());
      if (ref == null) {
        return r;
      }
      double value = r.unit().equals("GFLOP/s") ? ref.path("gflops").asDouble() : ref.path("ms_per_step").asDouble();
      return new BenchTable.Row(r.name(), r.what(), r.unit(), r.djl(), value, r.lowerIsBetter(), ref.path("flops_per_step").asDouble(0));
    });
    JsonNode version = byName.values().stream().map(n -> n.get("torch")).filter(v -> v != null).findFirst().orElse(null);
    String blas = byName.values().stream().map(n -> n.path("blas").asText("?")).findFirst().orElse("?");
    System.out.println("PyTorch reference: torch " + (version == null ? "?" : version.asText()) + ", " + threads + " threads, BLAS " + blas);
    if (blas.contains("netlib")) {
      System.out.println("  warning: netlib's reference BLAS is single-threaded and unoptimised, which slows PyTorch's matmuls; "
          + "apt-get install libopenblas0-pthread makes the comparison fair");
    }
  }

  /** One JSON object per line, keyed by its {@code name}. */
  static Map<String, JsonNode> parse(String lines) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> out = new HashMap<>();
    for (String line : lines.split("\n")) {
      if (!line.isBlank()) {
        JsonNode n = json.readTree(line);
        out.put(n.path("name").asText(), n);
      }
    }
    return out;
  }
}
