package org.abdflow.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.abdflow.runners.flink.FlinkSessionCluster;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A real Flink session cluster, a JobManager and two TaskManagers as separate JVMs started from the
 * Maven artifacts: a spec submitted to it gives the DirectRunner's numbers with the plugins the job
 * carries, and stopping it leaves no process behind.
 */
public class FlinkSessionClusterTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void twoJobsOnTheThreeJvmClusterGiveTheDirectRunnersReportAndStoppingLeavesNoProcess() throws Exception {
    Path dir = TMP.getRoot().toPath();
    Path spec = SmallSpec.write(dir);
    RunReport direct = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("direct")).build());
    FlinkSessionCluster cluster = FlinkSessionCluster.start(dir.resolve("cluster"), 18391, 16391, 2, 1, "3g", Duration.ofSeconds(120));
    List<ProcessHandle> processes = cluster.processes();
    RunReport onCluster;
    RunReport again;
    try {
      assertEquals("a JobManager and two TaskManagers", 3, processes.size());
      assertTrue(processes.stream().allMatch(ProcessHandle::isAlive));
      onCluster = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("cluster-run")).setRunner("flink")
          .setBeamArgs(List.of("--flinkMaster=" + cluster.master(), "--parallelism=2", "--reuseStages=false")).build());
      // a second job on the same TaskManagers: libtorch, loaded once per JVM, must serve it too
      again = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("cluster-run-2")).setRunner("flink")
          .setBeamArgs(List.of("--flinkMaster=" + cluster.master(), "--parallelism=1", "--reuseStages=false")).build());
    } finally {
      cluster.stop();
    }
    assertEquals("FlinkRunner", onCluster.runner());
    assertEquals(direct.results(), onCluster.results());
    assertEquals(direct.results(), again.results());
    assertTrue("trained on the cluster, not reused", onCluster.stages().stream().allMatch(s -> s.reused() == null));
    // the TaskManagers have neither the engine nor the plugins on their class path, and were given no
    // plugin folder: they loaded the plugins from the JARs staged with the job
    String logs = "";
    for (int i = 1; i <= 2; i++) {
      logs += java.nio.file.Files.readString(dir.resolve("cluster/log/taskmanager-" + i + ".log"));
    }
    assertTrue(logs, logs.contains("plugins from the job's staged JARs: ["));
    assertTrue(logs.contains("badnet"));
    assertTrue("no Flink process left", processes.stream().noneMatch(ProcessHandle::isAlive));
  }
}
