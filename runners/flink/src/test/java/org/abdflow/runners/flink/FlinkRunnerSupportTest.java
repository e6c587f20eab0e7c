package org.abdflow.runners.flink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.junit.Test;

public class FlinkRunnerSupportTest {
  private final FlinkRunnerSupport support = new FlinkRunnerSupport();

  @Test
  public void embeddedFlinkGetsManagedMemoryForLargeSpecsAndBatchForcedMode() throws Exception {
    FlinkPipelineOptions o = support.options(List.of()).as(FlinkPipelineOptions.class);
    assertEquals("BATCH_FORCED", o.getExecutionModeForBatch());
    Path conf = Path.of(o.getFlinkConfDir()).resolve("flink-conf.yaml");
    assertTrue(Files.readString(conf).contains("taskmanager.memory.managed.size: " + FlinkRunnerSupport.MANAGED_MEMORY));
  }

  @Test
  public void aUsersOwnConfigurationAndModeWin() {
    FlinkPipelineOptions o =
        support.options(List.of("--flinkConfDir=/etc/flink", "--executionModeForBatch=PIPELINED", "--parallelism=3")).as(FlinkPipelineOptions.class);
    assertEquals("/etc/flink", o.getFlinkConfDir());
    assertEquals("PIPELINED", o.getExecutionModeForBatch());
    assertEquals(Integer.valueOf(3), o.getParallelism());
  }
}
