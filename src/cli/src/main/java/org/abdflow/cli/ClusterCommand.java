package org.abdflow.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.abdflow.runners.flink.FlinkSessionCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code abdflow cluster start|stop}: a standalone Flink session cluster on this machine, from the Maven artifacts. */
@Command(name = "cluster", description = "A Flink 1.19 session cluster on loopback (a JobManager and TaskManagers as separate JVMs, "
    + "no Flink download): start it, run specs with --flinkMaster=localhost:PORT, stop it.",
    subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class})
final class ClusterCommand {

  @Command(name = "start", description = "Start the JobManager and the TaskManagers; returns once all have registered.")
  static final class Start implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "runs/flink-cluster", description = "configuration, logs and process ids")
    Path dir;

    @Option(names = "--port", defaultValue = "8081", description = "REST port (--flinkMaster=localhost:PORT)")
    int port;

    @Option(names = "--rpc-port", defaultValue = "6123", description = "JobManager RPC port")
    int rpcPort;

    @Option(names = "--task-managers", defaultValue = "2", description = "TaskManager JVMs")
    int taskManagers;

    @Option(names = "--slots", defaultValue = "1", description = "slots per TaskManager")
    int slots;

    @Option(names = "--tm-memory", defaultValue = "6g", description = "process memory of each TaskManager")
    String memory;

    @Option(names = "--restart-attempts", defaultValue = "2",
        description = "times a job is restarted after a failure such as a lost TaskManager (0: fail at once)")
    int restartAttempts;

    @Override
    public Integer call() throws Exception {
      FlinkSessionCluster c = FlinkSessionCluster.start(dir, port, rpcPort, taskManagers, slots, memory, Duration.ofSeconds(120), restartAttempts);
      System.out.printf("Flink session cluster up: 1 JobManager, %d TaskManagers x %d slots; run with --flinkMaster=%s; logs in %s;"
          + " stop with: ./abdflow cluster stop --dir %s%n", taskManagers, slots, c.master(), dir.resolve("log"), dir);
      return 0;
    }
  }

  @Command(name = "stop", description = "Stop every process of a cluster started with --dir DIR.")
  static final class Stop implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "runs/flink-cluster", description = "the folder given to start")
    Path dir;

    @Override
    public Integer call() throws Exception {
      int n = FlinkSessionCluster.stop(dir);
      System.out.println(n == 0 ? "no cluster process was running for " + dir : "stopped " + n + " Flink processes");
      return 0;
    }
  }
}
