package org.abdflow.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A run killed with SIGKILL during the backdoor fine-tuning leaves nothing that looks finished
 * when it is not, and the same command run again resumes the fine-tuning from its last finished
 * epoch and reports exactly what an uninterrupted run reports.
 */
public class CrashResumeTest {
  private static final int VICTIM_EPOCHS = 8;
  private static final int KILL_AFTER_EPOCH = 2;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aRunKilledDuringFineTuningResumesToTheSameReport() throws Exception {
    Path straight = tmp.newFolder("straight").toPath();
    RunReport expected = Abdflow.run(request(spec(straight), straight));

    Path killed = tmp.newFolder("killed").toPath();
    Path spec = spec(killed);
    List<String> log = runAndKill(spec, killed);
    assertTrue("the run was killed during the victim's training:\n" + tail(log),
        log.stream().anyMatch(l -> l.contains("victim: epoch " + KILL_AFTER_EPOCH + "/" + VICTIM_EPOCHS)));
    assertFalse("a killed run publishes no output", Files.exists(killed.resolve("out")));
    assertFalse("the victim left no checkpoint that looks finished",
        Files.exists(killed.resolve("out.partial/artifacts/victim/checkpoint")));
    Path cache = killed.resolve(".abdflow-cache");
    assertEntriesComplete(cache);
    assertTrue("the victim's finished epochs were saved", epochFolders(cache) >= 1);

    RunReport resumed = Abdflow.run(request(spec, killed));
    assertEquals(expected.results(), resumed.results());
    assertEquals(Boolean.TRUE, stage(resumed, "clean").reused());
    assertNull(stage(resumed, "victim").reused());
    Map<?, ?> training = new ObjectMapper().readValue(killed.resolve("out/artifacts/victim/training.json").toFile(), Map.class);
    // the epoch's log line comes just before its checkpoint is written, so the kill may land in
    // that write: then the epoch before it is the newest finished one
    assertThat("the victim resumed instead of starting over",
        ((Number) training.get("resumed_epochs")).intValue(), greaterThanOrEqualTo(KILL_AFTER_EPOCH - 1));
    assertEquals("finished trainings leave no epoch checkpoints behind", 0, epochFolders(cache));
  }

  private static Path spec(Path dir) throws Exception {
    return SmallSpec.withVictimEpochs(dir, VICTIM_EPOCHS);
  }

  private static RunRequest request(Path spec, Path dir) {
    return RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).setBeamArgs(List.of()).build();
  }

  /** Runs {@code ./abdflow run} in a child JVM and kills it (SIGKILL) once the victim has finished some epochs. */
  private static List<String> runAndKill(Path spec, Path dir) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
    for (String p : List.of("ai.djl.offline", "org.apache.avro.SERIALIZABLE_PACKAGES", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR",
        "abdflow.root", "abdflow.home", "abdflow.plugins")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.org.abdflow=info",
        "-cp", System.getProperty("java.class.path"), AbdflowCommand.class.getName(),
        "run", spec.toString(), "--output", dir.resolve("out").toString()));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    List<String> log = new ArrayList<>();
    String marker = "victim: epoch " + KILL_AFTER_EPOCH + "/" + VICTIM_EPOCHS;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        log.add(line);
        if (line.contains(marker)) {
          p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
          break;
        }
      }
    } finally {
      p.destroyForcibly();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    }
    return log;
  }

  /** Every cache entry that looks finished (a folder with a manifest) matches it; nothing else looks finished. */
  private static void assertEntriesComplete(Path cache) throws Exception {
    try (Stream<Path> list = Files.list(cache)) {
      for (Path entry : list.toList()) {
        String name = entry.getFileName().toString();
        if (name.endsWith(".epochs") || name.contains(".partial-")) {
          assertFalse(name + " has no manifest", Files.exists(entry.resolve("manifest.json")));
          continue;
        }
        if (name.equals("predictions")) {
          // the clean model's evaluation may finish before the kill: each stored batch is named by
          // its SHA-256, and only an unfinished write (.partial-*.tmp) is not
          try (Stream<Path> files = Files.walk(entry)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
              String file = f.getFileName().toString();
              if (!file.startsWith(".partial-")) {
                assertEquals(f + " is named by its digest", file.replaceFirst("\\.predictions$", ""),
                    org.apache.commons.codec.digest.DigestUtils.sha256Hex(Files.readAllBytes(f)));
              }
            }
          }
          continue;
        }
        Map<?, ?> manifest = new ObjectMapper().readValue(entry.resolve("manifest.json").toFile(), Map.class);
        for (Map.Entry<?, ?> f : manifest.entrySet()) {
          assertTrue(entry + " lists " + f.getKey(), Files.isRegularFile(entry.resolve(f.getKey().toString())));
        }
        assertTrue(name + " holds the clean checkpoint or nothing else",
            Files.exists(entry.resolve("checkpoint/model.safetensors")));
      }
    }
  }

  private static long epochFolders(Path cache) throws Exception {
    try (Stream<Path> walk = Files.walk(cache)) {
      return walk.filter(p -> p.getFileName().toString().matches("epoch-\\d+") && p.getParent().toString().endsWith(".epochs")).count();
    }
  }

  private static RunReport.Stage stage(RunReport report, String name) {
    return report.stages().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static String tail(List<String> log) {
    return String.join("\n", log.subList(Math.max(0, log.size() - 30), log.size()));
  }
}
