package org.abdflow.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.abdflow.engine.spec.SpecException;
import org.abdflow.runners.flink.FlinkSessionCluster;

/**
 * {@code abdflow bench parallel-stages}: records per second through the record-parallel stages of
 * {@code pipelines/bench/parallel-stages.yaml} on a Flink session cluster, at each parallelism.
 * A stage's time is its span in the report (first piece of work to the end of the last, over all
 * workers), so the bounded training tasks before it do not count. One discarded run first warms
 * the TaskManagers (class loading, libtorch).
 */
final class ParallelStagesBench {
  static final List<String> MEASURED = List.of("paste", "poison", "eda", "eval");

  private ParallelStagesBench() {}

  static void run(Path spec, String flinkMaster, List<Integer> parallelisms, Path workDir, String taskManagerMemory, int repeat)
      throws IOException, InterruptedException, SpecException {
    Path data = spec.getParent().resolve("../data/fashion-mnist-demo").normalize();
    Path images = repeated(data.resolve("pretrain-images-idx3-ubyte.gz"), 16, repeat, workDir.resolve("data"));
    Path labels = repeated(data.resolve("pretrain-labels-idx1-ubyte.gz"), 8, repeat, workDir.resolve("data"));
    Map<String, String> params = Map.of("images", images.toString(), "labels", labels.toString());
    FlinkSessionCluster cluster = null;
    String master = flinkMaster;
    if (master == null) {
      int workers = parallelisms.stream().mapToInt(Integer::intValue).max().orElse(2);
      cluster = FlinkSessionCluster.start(workDir.resolve("cluster"), 18481, 16481, workers, 1, taskManagerMemory, Duration.ofSeconds(180));
      master = cluster.master();
      System.out.printf(Locale.ROOT, "started a session cluster at %s: 1 JobManager, %d TaskManagers with 1 slot each%n", master, workers);
    }
    try {
      int warm = parallelisms.stream().mapToInt(Integer::intValue).max().orElse(2);
      System.out.printf(Locale.ROOT, "warm-up run at parallelism %d (discarded) ...%n", warm);
      run(spec, params, master, warm, workDir.resolve("warm-up"));
      Map<Integer, RunReport> reports = new LinkedHashMap<>();
      List<String> cpu = new ArrayList<>();
      for (int p : parallelisms) {
        System.out.printf(Locale.ROOT, "run at parallelism %d ...%n", p);
        double[] before = cpuSeconds(cluster);
        reports.put(p, run(spec, params, master, p, workDir.resolve("p" + p)));
        double[] after = cpuSeconds(cluster);
        if (cluster != null) {
          double wall = reports.get(p).wallSeconds();
          cpu.add(String.format(Locale.ROOT, "parallelism %d: CPU seconds over the job's %.1f s: TaskManagers %.1f (%.2f cores), "
              + "JobManager %.1f, this JVM %.1f", p, wall, after[0] - before[0], (after[0] - before[0]) / wall, after[1] - before[1],
              after[2] - before[2]));
        }
      }
      System.out.print(table(reports));
      cpu.forEach(System.out::println);
    } finally {
      if (cluster != null) {
        cluster.stop();
      }
    }
  }

  /** CPU seconds so far of the cluster's TaskManagers (summed), its JobManager and this JVM; zeros without a cluster of ours. */
  private static double[] cpuSeconds(FlinkSessionCluster cluster) {
    double tm = 0;
    double jm = 0;
    if (cluster != null) {
      List<ProcessHandle> ps = cluster.processes();
      for (int i = 0; i < ps.size(); i++) {
        double secs = ps.get(i).info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        if (i == 0) {
          jm = secs;
        } else {
          tm += secs;
        }
      }
    }
    double self = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
    return new double[] {tm, jm, self};
  }

  /**
   * An IDX file whose records are {@code file}'s, {@code times} over: the header's count (the
   * big-endian int at offset 4) scaled, the body repeated. {@code header} is the header's length.
   */
  static Path repeated(Path file, int header, int times, Path dir) throws IOException {
    byte[] raw;
    try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(file))) {
      raw = in.readAllBytes();
    }
    java.nio.ByteBuffer head = java.nio.ByteBuffer.wrap(java.util.Arrays.copyOf(raw, header));
    head.putInt(4, head.getInt(4) * times);
    java.nio.file.Files.createDirectories(dir);
    Path out = dir.resolve(file.getFileName().toString().replace(".gz", "") + "-x" + times + ".gz");
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    try (var o = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(tmp))) {
      o.write(head.array());
      for (int i = 0; i < times; i++) {
        o.write(raw, header, raw.length - header);
      }
    }
    java.nio.file.Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return out;
  }

  private static RunReport run(Path spec, Map<String, String> params, String master, int parallelism, Path output)
      throws IOException, SpecException {
    return Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(output).setRunner("flink").setParams(params)
        // one libtorch thread per task: what is measured is how the work spreads over workers
        .setBeamArgs(List.of("--flinkMaster=" + master, "--parallelism=" + parallelism, "--torchThreads=1", "--reuseStages=false")).build());
  }

  /** Per measured stage: records in, span and records/s at each parallelism, and the speed-up over the first. */
  static String table(Map<Integer, RunReport> reports) {
    List<Integer> ps = new ArrayList<>(reports.keySet());
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-8s %10s", "stage", "records"));
    for (int p : ps) {
      sb.append(String.format(Locale.ROOT, " %11s %11s", "span s p" + p, "rec/s p" + p));
    }
    sb.append(String.format(Locale.ROOT, " %9s%n", "speed-up"));
    double[] totalSpan = new double[ps.size()];
    long totalRecords = 0;
    for (String name : MEASURED) {
      RunReport.Stage first = stage(reports.get(ps.get(0)), name);
      sb.append(String.format(Locale.ROOT, "%-8s %10d", name, first.recordsIn()));
      totalRecords += first.recordsIn();
      double[] rates = new double[ps.size()];
      for (int i = 0; i < ps.size(); i++) {
        RunReport.Stage s = stage(reports.get(ps.get(i)), name);
        OptionalDouble span = s.spanSeconds();
        double secs = span.orElse(Double.NaN);
        totalSpan[i] += secs;
        rates[i] = s.recordsIn() / secs;
        sb.append(String.format(Locale.ROOT, " %11.2f %11.1f", secs, rates[i]));
      }
      sb.append(String.format(Locale.ROOT, " %8.2fx%n", rates[rates.length - 1] / rates[0]));
    }
    sb.append(String.format(Locale.ROOT, "%-8s %10d", "all", totalRecords));
    for (int i = 0; i < ps.size(); i++) {
      sb.append(String.format(Locale.ROOT, " %11.2f %11.1f", totalSpan[i], totalRecords / totalSpan[i]));
    }
    sb.append(String.format(Locale.ROOT, " %8.2fx%n", totalSpan[0] / totalSpan[ps.size() - 1]));
    sb.append("(all: the stages' records over the sum of their spans)\n");
    for (int p : ps) {
      sb.append(String.format(Locale.ROOT, "parallelism %d: whole job %.1f s%n", p, reports.get(p).wallSeconds()));
    }
    return sb.toString();
  }

  private static RunReport.Stage stage(RunReport report, String name) {
    return report.stages().stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("the bench spec has no stage " + name));
  }
}
