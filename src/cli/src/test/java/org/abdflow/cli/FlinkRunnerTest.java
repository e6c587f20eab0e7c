package org.abdflow.cli;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The same spec on embedded Flink gives the same numbers as on the DirectRunner, for the same seed. */
public class FlinkRunnerTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void flinkAndDirectAgree() throws Exception {
    Path dir = TMP.getRoot().toPath();
    Path spec = SmallSpec.write(dir);
    RunReport direct = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("direct")).build());
    RunReport flink =
        // trained again, not taken from the stage cache the first run filled
        Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("flink")).setRunner("flink")
            .setBeamArgs(java.util.List.of("--reuseStages=false")).build());
    assertEquals("FlinkRunner", flink.runner());
    assertEquals(direct.results(), flink.results());
    for (int i = 0; i < direct.stages().size(); i++) {
      assertEquals(direct.stages().get(i).name(), flink.stages().get(i).name());
      assertEquals(direct.stages().get(i).recordsOut(), flink.stages().get(i).recordsOut());
    }
  }
}
