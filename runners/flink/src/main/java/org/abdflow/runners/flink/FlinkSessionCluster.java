package org.abdflow.runners.flink;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink 1.19 session cluster on loopback, started from the Maven artifacts on this
 * JVM's class path (no Flink distribution): one JobManager and N TaskManagers, each its own JVM,
 * as Flink's start scripts would launch them (TaskManager memory worked out the way their
 * BashJavaUtils does). The cluster's class path holds Flink, its libraries and DJL; the engine,
 * Beam and the plugins reach the TaskManagers with each job's staged files. DJL is the exception
 * because a JVM loads libtorch's native libraries once, into one class loader: loaded from a job's
 * own class loader, the next job on that TaskManager failed ("already loaded in another
 * classloader"). So DJL (and JNA) sit on the cluster's class path and resolve parent-first, as
 * Flink's class-loading guide says for native libraries. {@link #stop} ends every
 * process it started. The folder keeps the configuration, the logs and the process ids, so
 * {@code abdflow cluster stop} in another JVM can end a cluster started by an earlier one.
 */
public final class FlinkSessionCluster {
  /** Class path entries that are the job's, not the cluster's. */
  private static final Pattern JOB_JARS = Pattern.compile(
      ".*(/abdflow-[^/]*\\.jar|/target/classes|/target/test-classes|/org/apache/beam/|/org/pf4j/|extjwnl|jfreechart|picocli|"
          + "/org/openjdk/jmh/|/junit/|/org/hamcrest/)(.*)");
  /** Packages whose classes come from the cluster's class path even when a job carries them: libraries that load native code. */
  static final String PARENT_FIRST = "ai.djl.;com.sun.jna.";
  private static final String PIDS = "pids";

  private final Path dir;
  private final int restPort;
  private final List<Process> processes = new ArrayList<>();

  private FlinkSessionCluster(Path dir, int restPort) {
    this.dir = dir;
    this.restPort = restPort;
  }

  /** Where {@code --flinkMaster} points: {@code localhost:PORT}. */
  public String master() {
    return "localhost:" + restPort;
  }

  /**
   * Starts the JobManager and {@code taskManagers} TaskManagers with {@code slotsPerTaskManager}
   * slots each and waits until all have registered (or {@code timeout} passes).
   */
  public static FlinkSessionCluster start(Path dir, int restPort, int rpcPort, int taskManagers, int slotsPerTaskManager,
      String taskManagerMemory, Duration timeout) throws IOException, InterruptedException {
    return start(dir, restPort, rpcPort, taskManagers, slotsPerTaskManager, taskManagerMemory, timeout, 0);
  }

  /**
   * As {@link #start(Path, int, int, int, int, String, Duration)}, with a job restarted up to
   * {@code restartAttempts} times after a failure such as a lost TaskManager (0: a failed job fails
   * at once). Finished stages are not lost on a restart: the stage cache and epoch checkpoints
   * outlive the attempt.
   */
  public static FlinkSessionCluster start(Path dir, int restPort, int rpcPort, int taskManagers, int slotsPerTaskManager,
      String taskManagerMemory, Duration timeout, int restartAttempts) throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("conf"));
    Files.createDirectories(dir.resolve("log"));
    Files.writeString(dir.resolve("conf").resolve("flink-conf.yaml"), String.join("\n",
        "jobmanager.rpc.address: localhost",
        "jobmanager.rpc.port: " + rpcPort,
        "jobmanager.bind-host: localhost",
        "rest.address: localhost",
        "rest.bind-address: localhost",
        "rest.port: " + restPort,
        "taskmanager.host: localhost",
        "taskmanager.bind-host: localhost",
        "taskmanager.numberOfTaskSlots: " + slotsPerTaskManager,
        "taskmanager.cpu.cores: " + slotsPerTaskManager,
        "jobmanager.memory.process.size: 1024m",
        "taskmanager.memory.process.size: " + taskManagerMemory,
        "taskmanager.memory.managed.size: 1024m",
        // DJL copies arrays through direct buffers, which the JVM frees only on GC: without room for
        // the job's own off-heap memory (a quarter here), the demo's patch generator ran out of it
        "taskmanager.memory.task.off-heap.size: " + (org.apache.flink.configuration.MemorySize.parse(taskManagerMemory).getMebiBytes() / 4) + "m",
        "parallelism.default: 1",
        // without retries a failed job is reported at once; with them a lost TaskManager costs one restart
        restartAttempts > 0 ? "restart-strategy.type: fixed-delay" : "restart-strategy.type: none",
        "restart-strategy.fixed-delay.attempts: " + Math.max(1, restartAttempts),
        "restart-strategy.fixed-delay.delay: 2 s",
        // a killed TaskManager is noticed in seconds, not after the default 50 s
        "heartbeat.interval: 2000",
        "heartbeat.timeout: 10000",
        "classloader.parent-first-patterns.additional: " + PARENT_FIRST,
        "") + "\n");
    dir = dir.toAbsolutePath();
    FlinkSessionCluster cluster = new FlinkSessionCluster(dir, restPort);
    try {
      String classPath = clusterClassPath();
      List<String> common = List.of(
          // the job's Avro records (STACK.md): trusted on every JVM that decodes them
          "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=java.lang,java.util,java.math,org.abdflow",
          "-Dai.djl.offline=true");
      List<String> jm = new ArrayList<>(List.of(java(), "-Xmx768m"));
      jm.addAll(common);
      jm.addAll(List.of("-cp", classPath, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
          "--configDir", dir.resolve("conf").toString()));
      cluster.launch(jm, "jobmanager", java.util.Map.of());

      Configuration conf = GlobalConfiguration.loadConfiguration(dir.resolve("conf").toString());
      TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
      List<String> jvm = List.of(ProcessMemoryUtils.generateJvmParametersStr(spec).trim().split("\\s+"));
      List<String> dynamic = List.of(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec).trim().split("\\s+"));
      // libtorch's threads split the machine's cores between the TaskManagers, so two of them on
      // two cores do not each run two busy threads
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / taskManagers);
      for (int i = 1; i <= taskManagers; i++) {
        List<String> tm = new ArrayList<>(List.of(java()));
        tm.addAll(jvm);
        tm.addAll(common);
        tm.add("-Dai.djl.pytorch.num_threads=" + threads);
        tm.add("-Dai.djl.pytorch.num_interop_threads=1");
        tm.addAll(List.of("-cp", classPath, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
            "--configDir", dir.resolve("conf").toString()));
        tm.addAll(dynamic);
        tm.addAll(List.of("-D", "taskmanager.resource-id=taskmanager-" + i));
        // libtorch's OpenMP pool sizes itself per calling thread from OMP_NUM_THREADS, and Flink's task
        // threads are not the one DJL set num_threads on: without it each TaskManager ran two busy threads
        cluster.launch(tm, "taskmanager-" + i, java.util.Map.of("OMP_NUM_THREADS", String.valueOf(threads), "MKL_NUM_THREADS", String.valueOf(threads)));
      }
      cluster.awaitTaskManagers(taskManagers, timeout);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.stop();
      throw e;
    }
  }

  private void launch(List<String> command, String name, java.util.Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("log").resolve(name + ".log").toFile());
    // OpenMP threads that spin while waiting take the cores from the other TaskManager (README)
    pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
    // Flink scans ./plugins for its own plugins; a repository root has abdflow's sources there
    pb.directory(dir.toFile());
    pb.environment().put("FLINK_PLUGINS_DIR", Files.createDirectories(dir.resolve("flink-plugins")).toString());
    env.forEach(pb.environment()::putIfAbsent);
    Process p = pb.start();
    processes.add(p);
    Files.writeString(dir.resolve(PIDS), p.pid() + "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }

  private void awaitTaskManagers(int expected, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IOException("a Flink process exited with " + p.exitValue() + " during start; see " + dir.resolve("log"));
        }
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://localhost:" + restPort + "/overview").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        last = body;
        Matcher m = Pattern.compile("\"taskmanagers\":(\\d+)").matcher(body);
        if (m.find() && Integer.parseInt(m.group(1)) >= expected) {
          return;
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(500);
    }
    throw new IOException("the Flink cluster did not get " + expected + " TaskManagers within " + timeout.toSeconds() + " s (last: "
        + last + "); see " + dir.resolve("log"));
  }

  /** Ends every process of this cluster and waits for them. */
  public void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
    processes.clear();
    try {
      Files.deleteIfExists(dir.resolve(PIDS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the processes a cluster started in {@code dir} (by an earlier JVM) recorded; returns how many were alive. */
  public static int stop(Path dir) throws IOException, InterruptedException {
    Path pids = dir.resolve(PIDS);
    if (!Files.exists(pids)) {
      return 0;
    }
    List<ProcessHandle> alive = new ArrayList<>();
    for (String line : Files.readAllLines(pids)) {
      if (!line.isBlank()) {
        ProcessHandle.of(Long.parseLong(line.trim())).filter(ProcessHandle::isAlive).ifPresent(alive::add);
      }
    }
    alive.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : alive) {
      try {
        h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        h.destroyForcibly();
      }
    }
    Files.delete(pids);
    return alive.size();
  }

  /** Every process this cluster runs, the JobManager first, then the TaskManagers in order. */
  public List<ProcessHandle> processes() {
    return processes.stream().map(Process::toHandle).toList();
  }

  /** This JVM's class path without the job's jars: Flink, its RPC system and libraries, as a distribution's lib/. */
  static String clusterClassPath() {
    List<String> keep = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank() && !JOB_JARS.matcher(entry.replace('\\', '/')).matches()) {
        keep.add(entry);
      }
    }
    if (keep.stream().noneMatch(e -> e.toLowerCase(Locale.ROOT).contains("flink-runtime"))) {
      throw new IllegalStateException("flink-runtime is not on this JVM's class path; the Flink runner module is needed");
    }
    return String.join(File.pathSeparator, keep);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
