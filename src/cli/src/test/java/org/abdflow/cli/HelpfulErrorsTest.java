package org.abdflow.cli;

import static org.abdflow.cli.TemplatePluginWalkthroughTest.cli;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The command line's errors name the closest right word and where to look next. */
public class HelpfulErrorsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void anUnknownCommandSuggestsTheClosest() {
    String[] r = cli("rnu", "pipelines/demo.yaml");
    assertEquals("2", r[0]);
    assertThat(r[2], containsString("abdflow: unknown command rnu (commands: bench, cache, cluster, data, plugins, run, summarize, validate);"
        + " did you mean run? `./abdflow --help` says what each does"));
    r = cli("plugins", "descibe", "BadNet");
    assertEquals("2", r[0]);
    assertThat(r[2], containsString("abdflow plugins: unknown command descibe (commands: describe, reference); did you mean describe?"));
    r = cli("zorglub");
    assertThat(r[2], containsString("unknown command zorglub (commands: bench, cache, cluster, data, plugins, run, summarize, validate);"
        + " `./abdflow --help`"));
  }

  @Test
  public void anUnknownRunnerOrAMisspeltOptionOfRunIsNamedWithoutAStackTrace() {
    String[] r = cli("run", "spec.yaml", "--runner", "flnk");
    assertEquals("2", r[0]);
    assertThat(r[2], containsString("abdflow run: unknown runner flnk (available: direct, flink); did you mean flink?"));
    assertThat(r[2], not(containsString("\tat ")));
    r = cli("run", "spec.yaml", "--runner", "direct", "--seeed=3");
    assertEquals("2", r[0]);
    assertThat(r[2], containsString("missing a property named 'seeed'. Did you mean --seed (for --seeed=3)?"));
    assertThat(r[2], containsString("`./abdflow run --help` lists abdflow's options"));
  }

  @Test
  public void aBenchmarkNameIsSuggested() {
    String[] r = cli("bench", "trian-step");
    assertEquals("2", r[0]);
    assertThat(r[2], containsString("did you mean train-step?"));
  }

  @Test
  public void memoryBenchNeedsAtLeastOneRunPerSize() {
    String[] r = cli("bench", "memory", "--memory-runs", "0");
    assertEquals("2", r[0]);
    assertThat(r[2], containsString("--memory-runs must be at least 1, not 0"));
  }

  @Test
  public void validateSuggestsKeysFilesAndTypesAndWhereToLook() throws Exception {
    Path dir = tmp.getRoot().toPath();
    TestData.writeIdx(dir.resolve("train-images.gz"), dir.resolve("train-labels.gz"), 10, 1);
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec,
        """
        pipeline:
          transforms:
            - {type: IdxSource, name: train, config: {images: train-image.gz, labels: train-labels.gz}}
            - {type: BadNet, name: poisoned, input: train, config: {target: bag, sise: 3, overflow: wrp}}
            - {type: BadNt, name: other, input: train, config: {target: bag}}
            - {type: Train, name: victim, input: poisoned, config: {model: clip-tny}}
        """);
    String[] r = cli("validate", spec.toString());
    assertEquals("2", r[0]);
    String err = r[2];
    assertThat(err, containsString("config.images: no such file or folder: " + dir.resolve("train-image.gz") + "; did you mean train-images.gz?"));
    assertThat(err, containsString("config.sise: unknown key (known: target, templates, size, position, overflow, noiseStd, rate, count,"
        + " redraw); did you mean size? `./abdflow plugins describe BadNet` lists its keys"));
    assertThat(err, containsString("config.overflow: expected one of clamp, wrap, got \"wrp\" (string); did you mean wrap?"));
    assertThat(err, containsString("unknown type BadNt (known: "));
    assertThat(err, containsString("did you mean BadNet? Run `./abdflow plugins` to list types, or add the folder of the plugin JAR"
        + " that defines it with --plugins DIR or the spec's plugins: list"));
    assertThat(err, containsString("config.model: unknown preset clip-tny (known: clip-tiny, clip-tiny-vit, RN50, ViT-B/32); did you mean clip-tiny?"));

    String[] missing = cli("validate", dir.resolve("spce.yaml").toString());
    assertThat(missing[2], containsString("spce.yaml:1:1: no such file; did you mean spec.yaml?"));
    String[] folder = cli("validate", spec.toString(), "--plugins", dir.resolve("nowhere").toString());
    assertThat(folder[2], containsString("plugin folder " + dir.resolve("nowhere") + " does not exist (given with --plugins;"));
  }

  @Test
  public void aLossTypeIsSuggestedAndAWrongKindSaysWhatItIs() throws Exception {
    Path dir = tmp.getRoot().toPath();
    TestData.writeIdx(dir.resolve("i.gz"), dir.resolve("l.gz"), 10, 1);
    Path spec = dir.resolve("loss.yaml");
    Files.writeString(spec, "pipeline:\n  transforms:\n    - {type: IdxSource, name: d, config: {images: i.gz, labels: l.gz}}\n"
        + "    - {type: Train, name: m, input: d, config: {losses: [ClipLos]}}\n");
    String[] r = cli("validate", spec.toString());
    assertThat(r[2], containsString("config.losses: unknown Loss type ClipLos (known: ClipLoss, RoClipLoss, UniModalLoss); did you mean"
        + " ClipLoss? `./abdflow plugins` lists every type with its plugin"));
    Files.writeString(spec, Files.readString(spec).replace("[ClipLos]", "[BadNet]"));
    r = cli("validate", spec.toString());
    assertThat(r[2], containsString("unknown Loss type BadNet (known: ClipLoss, RoClipLoss, UniModalLoss); BadNet is an Attack, not a Loss"));
  }
}
