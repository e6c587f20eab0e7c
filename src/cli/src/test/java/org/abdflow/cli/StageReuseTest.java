package org.abdflow.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A rerun takes the training stages' checkpoints from the stage cache and reports it, with the same
 * results; a cached file that no longer matches its manifest is recomputed, not trusted; and
 * {@code --reuseStages=false} recomputes everything.
 */
public class StageReuseTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void aRerunReusesTrainingAndADamagedEntryIsComputedAgain() throws Exception {
    Path dir = TMP.getRoot().toPath();
    Path spec = SmallSpec.write(dir);
    RunReport first = run(spec, dir, List.of());
    assertNull(stage(first, "clean").reused());
    assertNull(stage(first, "victim").reused());

    RunReport second = run(spec, dir, List.of());
    assertEquals(Boolean.TRUE, stage(second, "clean").reused());
    assertEquals(Boolean.TRUE, stage(second, "victim").reused());
    assertNull("records stages are not cached", stage(second, "striped").reused());
    assertEquals(first.results(), second.results());
    assertTrue(Files.isDirectory(dir.resolve("out/artifacts/clean/checkpoint")));

    // damage one file of every cache entry: the digests no longer match, so both stages train again
    Path cache = dir.resolve(".abdflow-cache");
    try (Stream<Path> walk = Files.walk(cache)) {
      for (Path f : walk.filter(Files::isRegularFile).filter(p -> p.toString().contains("checkpoint")).toList()) {
        byte[] bytes = Files.readAllBytes(f);
        if (bytes.length > 0) {
          bytes[bytes.length / 2] ^= 1;
          Files.write(f, bytes);
        }
      }
    }
    RunReport third = run(spec, dir, List.of());
    assertNull(stage(third, "clean").reused());
    assertEquals(first.results(), third.results());

    RunReport fourth = run(spec, dir, List.of("--reuseStages=false"));
    assertNull(stage(fourth, "clean").reused());
    assertNull(stage(fourth, "victim").reused());
  }

  private static RunReport run(Path spec, Path dir, List<String> args) throws Exception {
    return Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).setBeamArgs(args).build());
  }

  private static RunReport.Stage stage(RunReport report, String name) {
    return report.stages().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
