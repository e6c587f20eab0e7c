package org.abdflow.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A rerun of an unchanged spec takes the finished run whole, every stage reused; without it, the
 * training stages' checkpoints and the evaluation's predictions come from the stage cache, with
 * the same results; a cached file that no longer matches its manifest is recomputed, not trusted; and
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
    assertManifest(dir.resolve("out/manifest.json"), dir.resolve("plugins"));

    // the same spec, code and inputs: the finished run is taken whole, every stage reused, none run
    RunReport whole = run(spec, dir, List.of());
    for (RunReport.Stage s : whole.stages()) {
      assertEquals(s.name() + " is reused", Boolean.TRUE, s.reused());
      assertEquals(s.name() + " did no work", 0, s.seconds(), 0);
      RunReport.Stage before = stage(first, s.name());
      assertEquals(s.name() + " keeps its record counts", before.recordsOut(), s.recordsOut());
    }
    assertEquals(first.results(), whole.results());
    assertTrue(Files.isRegularFile(dir.resolve("out/report.html")));
    assertTrue(Files.isDirectory(dir.resolve("out/artifacts/clean/checkpoint")));
    assertManifest(dir.resolve("out/manifest.json"), dir.resolve("plugins"));
    Path cache = dir.resolve(".abdflow-cache");

    // without the whole run (as `cache prune` would drop it), the stages' own entries serve
    dropWholeRuns(cache);
    RunReport second = run(spec, dir, List.of());
    assertEquals(Boolean.TRUE, stage(second, "clean").reused());
    assertEquals(Boolean.TRUE, stage(second, "victim").reused());
    assertEquals("every prediction of the evaluation comes from the first run", Boolean.TRUE, stage(second, "eval").reused());
    assertNull("records stages are not cached", stage(second, "striped").reused());
    assertEquals(first.results(), second.results());
    assertTrue(Files.isDirectory(dir.resolve("out/artifacts/clean/checkpoint")));

    // damaged stored predictions are not trusted: the evaluation predicts again, to the same numbers
    dropWholeRuns(cache);
    Path predictions = cache.resolve("predictions");
    try (Stream<Path> walk = Files.walk(predictions)) {
      List<Path> files = walk.filter(Files::isRegularFile).toList();
      assertTrue("the evaluation stored its predictions", !files.isEmpty());
      for (Path f : files) {
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 1] ^= 1;
        Files.write(f, bytes);
      }
    }
    RunReport damaged = run(spec, dir, List.of());
    assertEquals(Boolean.TRUE, stage(damaged, "victim").reused());
    assertNull(stage(damaged, "eval").reused());
    assertEquals(first.results(), damaged.results());

    // damage one file of every cache entry: the digests no longer match, so both stages train again
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
    assertNull("a damaged whole run is not taken either", stage(third, "train").reused());
    assertNull(stage(third, "clean").reused());
    assertEquals(first.results(), third.results());

    // another test set: the whole run does not match, training is still reused, evaluation runs
    TestData.writeIdx(dir.resolve("test-images.gz"), dir.resolve("test-labels.gz"), 40, 3);
    RunReport otherTest = run(spec, dir, List.of());
    assertNull(stage(otherTest, "test").reused());
    assertEquals(Boolean.TRUE, stage(otherTest, "victim").reused());
    assertNull(stage(otherTest, "eval").reused());

    RunReport fourth = run(spec, dir, List.of("--reuseStages=false"));
    assertNull(stage(fourth, "clean").reused());
    assertNull(stage(fourth, "victim").reused());
    assertNull(stage(fourth, "eval").reused());
    assertNull(stage(fourth, "train").reused());
  }

  private static void dropWholeRuns(Path cache) throws Exception {
    try (Stream<Path> list = Files.list(cache)) {
      for (Path p : list.filter(p -> p.getFileName().toString().startsWith("run-")).toList()) {
        Abdflow.deleteTree(p);
      }
    }
  }

  /** The run manifest names the plugin JARs by digest, the library versions, the seeds and the machine. */
  @SuppressWarnings("unchecked")
  private static void assertManifest(Path file, Path pluginDir) throws Exception {
    Map<String, Object> m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(file.toFile(), Map.class);
    Map<String, Object> versions = (Map<String, Object>) m.get("versions");
    assertTrue(versions.toString(), versions.get("djl").toString().startsWith("0.36"));
    assertTrue(versions.toString(), versions.get("libtorch").toString().startsWith("2.7"));
    assertEquals("2.70.0", versions.get("beam"));
    Path stripe;
    try (Stream<Path> jars = Files.list(pluginDir)) {
      stripe = jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
    }
    String digest;
    try (java.io.InputStream in = Files.newInputStream(stripe)) {
      digest = org.apache.commons.codec.digest.DigestUtils.sha256Hex(in);
    }
    List<Map<String, Object>> plugins = (List<Map<String, Object>>) m.get("plugins");
    assertTrue(plugins.toString(), plugins.stream().anyMatch(p -> p.get("jar").equals(stripe.getFileName().toString())
        && p.get("sha256").equals(digest) && ((List<String>) p.get("types")).contains("Stripe")));
    Map<String, Object> seeds = (Map<String, Object>) m.get("seeds");
    assertEquals(7, ((Number) seeds.get("run")).intValue());
    assertTrue(((Map<String, Object>) seeds.get("stages")).containsKey("victim"));
    assertTrue(((Number) ((Map<String, Object>) m.get("hardware")).get("cores")).intValue() >= 1);
    Path root = Path.of(System.getProperty("abdflow.root", "."));
    if (Files.exists(root.resolve(".git"))) {
      assertTrue("a 40-digit commit: " + m.get("git_commit"), String.valueOf(m.get("git_commit")).matches("[0-9a-f]{40}"));
    }
  }

  private static RunReport run(Path spec, Path dir, List<String> args) throws Exception {
    return Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).setBeamArgs(args).build());
  }

  private static RunReport.Stage stage(RunReport report, String name) {
    return report.stages().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
