package org.abdflow.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.abdflow.runners.flink.FlinkSessionCluster;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A TaskManager killed (SIGKILL) while it fine-tunes the victim: Flink restarts the job per the
 * cluster's restart strategy on the TaskManager left, and the run reports the DirectRunner's numbers.
 */
public class TaskManagerLossTest {
  private static final int VICTIM_EPOCHS = 8;

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void aJobWhoseTaskManagerIsKilledRestartsAndReportsTheSameNumbers() throws Exception {
    Path dir = TMP.getRoot().toPath();
    Path reference = Files.createDirectories(dir.resolve("reference"));
    RunReport direct = Abdflow.run(RunRequest.builder().setSpec(SmallSpec.withVictimEpochs(reference, VICTIM_EPOCHS))
        .setOutput(reference.resolve("out")).build());

    Path work = Files.createDirectories(dir.resolve("cluster-run"));
    Path spec = SmallSpec.withVictimEpochs(work, VICTIM_EPOCHS);
    FlinkSessionCluster cluster = FlinkSessionCluster.start(dir.resolve("cluster"), 18395, 16395, 2, 1, "3g", Duration.ofSeconds(120), 3);
    List<ProcessHandle> processes = cluster.processes();
    RunReport onCluster;
    int killed;
    try {
      CompletableFuture<RunReport> job = CompletableFuture.supplyAsync(() -> {
        try {
          return Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(work.resolve("out")).setRunner("flink")
              .setBeamArgs(List.of("--flinkMaster=" + cluster.master(), "--parallelism=1")).build());
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      killed = awaitVictimTraining(dir.resolve("cluster/log"), job);
      // processes: the JobManager first, then the TaskManagers in the order of their log names
      assertTrue(processes.get(killed).destroyForcibly());
      onCluster = job.get(10, TimeUnit.MINUTES);
      assertFalse("the TaskManager is gone", processes.get(killed).isAlive());
    } finally {
      cluster.stop();
    }
    assertEquals(direct.results(), onCluster.results());
    String jobManagerLog = Files.readString(dir.resolve("cluster/log/jobmanager.log"));
    assertTrue("the job was restarted, not left unharmed", jobManagerLog.contains("RESTARTING"));
    String other = Files.readString(dir.resolve("cluster/log/taskmanager-" + (3 - killed) + ".log"));
    assertTrue("the TaskManager left trained the victim", other.contains("victim: epoch " + VICTIM_EPOCHS + "/" + VICTIM_EPOCHS));
  }

  /** Waits until a TaskManager's log shows the victim's first epoch; returns that TaskManager's number. */
  private static int awaitVictimTraining(Path logs, CompletableFuture<RunReport> job) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      for (int i = 1; i <= 2; i++) {
        Path log = logs.resolve("taskmanager-" + i + ".log");
        if (Files.exists(log) && Files.readString(log).contains("victim: epoch 1/" + VICTIM_EPOCHS)) {
          return i;
        }
      }
      if (job.isDone()) {
        throw new AssertionError("the job ended before the victim trained: " + job.get());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no TaskManager started the victim's training within 5 minutes");
  }
}
