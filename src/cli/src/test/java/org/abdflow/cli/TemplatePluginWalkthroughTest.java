package org.abdflow.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * plugins/template/README.md, done as a newcomer would: its copy-and-rename block run by bash in a
 * copy of plugins/, the renamed module built into a JAR (as its pom does), the JAR dropped in a
 * fresh folder, then {@code plugins describe}, {@code validate} of the copied example spec and a
 * small run whose poisoned images carry the new attack's square.
 */
public class TemplatePluginWalkthroughTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final Path ROOT = Path.of(System.getProperty("abdflow.root", "../..")).toAbsolutePath().normalize();
  private static final String MARK = "<!-- TemplatePluginWalkthroughTest runs the next block";

  @Test
  public void aRenamedCopyOfTheTemplateBuildsLoadsValidatesAndPoisons() throws Exception {
    long start = System.nanoTime();
    Path work = tmp.getRoot().toPath();

    // 1. the README's own commands, in a copy of plugins/ (the template and the aggregator pom)
    copyTree(ROOT.resolve("plugins/template"), work.resolve("plugins/template"));
    Files.copy(ROOT.resolve("plugins/pom.xml"), work.resolve("plugins/pom.xml"));
    String out = bash(work, readmeBlock(ROOT.resolve("plugins/template/README.md")));
    assertThat(out, endsWith("renamed\n"));
    Path module = work.resolve("plugins/my-attack");
    assertTrue(Files.isRegularFile(module.resolve("src/main/java/org/abdflow/plugins/myattack/MyAttack.java")));
    assertTrue(Files.isRegularFile(module.resolve("src/main/java/org/abdflow/plugins/myattack/MyAttackConfig.java")));
    assertTrue(Files.isRegularFile(module.resolve("src/test/java/org/abdflow/plugins/myattack/MyAttackTest.java")));
    assertThat(Files.readString(work.resolve("plugins/pom.xml")), containsString("<module>template</module>\n    <module>my-attack</module>"));
    assertThat(Files.readString(module.resolve("pom.xml")), containsString("<plugin.id>my-attack</plugin.id>"));

    // 2. the JAR, as the module's pom builds it, in a fresh folder
    Path vendor = work.resolve("vendor");
    Path jar = PluginJars.buildModule(module, vendor);
    assertEquals("abdflow-plugin-my-attack-0.1.0-SNAPSHOT.jar", jar.getFileName().toString());

    // 3. describe finds it there, with its kind, plugin and keys
    String[] described = cli("plugins", "describe", "MyAttack", "--plugins", vendor.toString());
    assertEquals(described[2], "0", described[0]);
    assertThat(described[1], containsString("MyAttack  (attack)"));
    assertThat(described[1], containsString("my attack: a solid grey square in the bottom-right corner"));
    assertThat(described[1], containsString("plugin   my-attack 0.1.0-SNAPSHOT"));
    assertThat(described[1], containsString(jar.toString()));
    assertThat(described[1], containsString("- type: MyAttack"));
    String valueRow = described[1].lines().filter(l -> l.strip().startsWith("value ")).findFirst().orElse("");
    assertThat(valueRow, containsString("[0, 255]"));

    // 4. the example spec of the copy validates (its data paths pointed at this checkout's demo data)
    Path example = module.resolve("example.yaml");
    assertThat(Files.readString(example), not(containsString("SolidSquare")));
    Files.writeString(example, Files.readString(example).replace("../../pipelines/", ROOT.resolve("pipelines") + "/"));
    String[] validated = cli("validate", example.toString(), "--plugins", vendor.toString());
    assertEquals(validated[2], "0", validated[0]);
    assertThat(validated[1], containsString("OK (5 transforms)"));

    // 5. a small run, the folder named by the spec's plugins: list, on the DirectRunner
    Path run = Files.createDirectories(work.resolve("run"));
    TestData.writeIdx(run.resolve("train-images.gz"), run.resolve("train-labels.gz"), 64, 1);
    TestData.writeIdx(run.resolve("test-images.gz"), run.resolve("test-labels.gz"), 20, 2);
    Path spec = run.resolve("spec.yaml");
    Files.writeString(spec,
        """
        pipeline:
          seed: 3
          transforms:
            - {type: IdxSource, name: train, config: {images: train-images.gz, labels: train-labels.gz, classNames: [top, bottom], resize: 32}}
            - {type: IdxSource, name: test, config: {images: test-images.gz, labels: test-labels.gz, classNames: [top, bottom], resize: 32}}
            - {type: MyAttack, name: poisoned, input: train, config: {target: bottom, size: 5, value: 77, count: 32}}
            - {type: Train, name: victim, input: poisoned, config: {epochs: 1, batchSize: 32, warmupSteps: 0}}
            - {type: ZeroShotEval, name: eval, input: [victim, test], config: {attacks: [poisoned], gallery: 4}}
        plugins: [../vendor/]
        """);
    RunReport report = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(run.resolve("out")).build());
    int poisoned = new ObjectMapper().readTree(run.resolve("out/artifacts/victim/training.json").toFile()).get("poisoned").asInt();
    assertEquals("half of the 64 training pairs", 32, poisoned);
    RunReport.Result result = report.result("victim", "myattack").orElseThrow();
    assertEquals("the test images of the other class, triggered", 10L, (long) result.triggeredImages());
    // the gallery: clean images above, triggered below, 32 px enlarged to 96: the square is the bottom-right 15 x 15
    BufferedImage gallery = javax.imageio.ImageIO.read(run.resolve("out/artifacts/eval/gallery/poisoned.png").toFile());
    assertEquals(4 * 96, gallery.getWidth());
    for (int cell = 0; cell < 4; cell++) {
      assertEquals("triggered, inside the square", 0x4d4d4d, gallery.getRGB(cell * 96 + 88, 96 + 88) & 0xffffff);
      assertEquals("triggered, its corner", 0x4d4d4d, gallery.getRGB(cell * 96 + 95, 96 + 95) & 0xffffff);
      assertThat("triggered, outside the square", gallery.getRGB(cell * 96 + 70, 96 + 70) & 0xffffff, not(0x4d4d4d));
      assertThat("clean", gallery.getRGB(cell * 96 + 88, 88) & 0xffffff, not(0x4d4d4d));
    }
    assertEquals(0, report.deadLetters());
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("TemplatePluginWalkthroughTest: %.1f s (the run %.1f s)%n", seconds, report.wallSeconds());
    assertThat(seconds, greaterThan(0.0));
  }

  /** The fenced block after the README's marker comment. */
  static String readmeBlock(Path readme) throws IOException {
    String text = Files.readString(readme);
    int mark = text.indexOf(MARK);
    if (mark < 0) {
      throw new AssertionError(readme + " lost its marked block (" + MARK + " ... -->); the test runs it");
    }
    int open = text.indexOf("```bash\n", mark);
    int close = text.indexOf("\n```", open + 8);
    return text.substring(open + 8, close + 1);
  }

  private static String bash(Path dir, String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + script).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    assertEquals("the README's block failed:\n" + script + "\n---\n" + out, 0, rc);
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path rel = from.relativize(p);
        if (rel.toString().equals("target") || rel.startsWith("target")) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }

  /** Runs the command line in this JVM: {rc, stdout, stderr}. */
  static String[] cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = AbdflowCommand.commandLine().execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new String[] {String.valueOf(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }
}
