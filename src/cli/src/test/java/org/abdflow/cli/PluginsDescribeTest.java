package org.abdflow.cli;

import static org.abdflow.cli.TemplatePluginWalkthroughTest.cli;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** `./abdflow plugins describe TYPE` and `./abdflow plugins reference`. */
public class PluginsDescribeTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void describesAPluginTypeWithItsPluginKeysAndAnExample() {
    String[] r = cli("plugins", "describe", "BadNet");
    assertEquals(r[2], "0", r[0]);
    String out = r[1];
    assertThat(out, startsWith("BadNet  (attack)\n  noise square"));
    assertThat(out, matchesPattern("(?s).*\n  plugin   badnet \\S+\n  JAR      \\S+abdflow-plugin-badnet-\\S+\\.jar\n.*"));
    assertThat(out, containsString("  inputs   1 to 5\n"));
    assertThat(out, containsString("KEY        TYPE             DEFAULT   ALLOWED"));
    assertThat(out, matchesPattern("(?s).*\n  size +integer +16 +\\[1, 4096\\] +side of the noise square.*"));
    assertThat(out, matchesPattern("(?s).*\n  overflow +enum +clamp +clamp, wrap +8-bit conversion.*"));
    assertThat(out, matchesPattern("(?s).*\n  target +string +required +class name.*"));
    assertThat(out, containsString("  - type: BadNet\n    name: badnet\n    input: <input>\n    config:\n      target: <target>\n"));
  }

  @Test
  public void describesEngineStagesAndExtensionsNamedInsideConfigs() {
    String train = cli("plugins", "describe", "Train")[1];
    assertThat(train, startsWith("Train  (engine stage)"));
    assertThat(train, containsString("plugin   none: built into the engine"));
    assertThat(train, containsString("inputs   at least 1"));
    assertThat(train, matchesPattern("(?s).*\n  epochs +integer +10 +\\[1, 100000\\] +passes over.*"));
    String loss = cli("plugins", "describe", "ClipLoss")[1];
    assertThat(loss, startsWith("ClipLoss  (loss)"));
    assertThat(loss, containsString("inputs   none: named inside a stage's config (a Train stage's losses)"));
    assertThat(loss, containsString("losses: [ClipLoss]"));
    String source = cli("plugins", "describe", "IdxSource")[1];
    assertThat(source, containsString("inputs   none (it starts a pipeline)"));
    assertThat(source, containsString("images: <images>"));
  }

  @Test
  public void anUnknownTypeSuggestsTheClosestAndTheWrongCaseIsForgiven() {
    String[] r = cli("plugins", "describe", "BadNt");
    assertEquals("2", r[0]);
    assertThat(r[2], containsString("abdflow plugins describe: unknown type BadNt; did you mean BadNet? Run `./abdflow plugins` to list"
        + " types, or add the folder of the plugin JAR that defines it with --plugins DIR"));
    r = cli("plugins", "describe", "Zorglub");
    assertThat(r[2], containsString("unknown type Zorglub; run `./abdflow plugins` to list types"));
    r = cli("plugins", "describe", "badnet");
    assertEquals("0", r[0]);
    assertThat(r[1], startsWith("(a spec writes it BadNet: types are case-sensitive)\n\nBadNet  (attack)"));
  }

  @Test
  public void referenceWritesMarkdownWithASectionPerType() throws Exception {
    Path file = tmp.getRoot().toPath().resolve("docs/ref.md");
    String[] r = cli("plugins", "reference", "--output", file.toString());
    assertEquals(r[2], "0", r[0]);
    String md = Files.readString(file);
    assertThat(md, startsWith("# Spec reference\n"));
    assertThat(md, containsString("\n## BadNet\n\nnoise square"));
    assertThat(md, containsString("*attack* · plugin `badnet` "));
    assertThat(md, containsString("| `size` | integer | `16` | [1, 4096] | side of the noise square"));
    assertThat(md, containsString("```yaml\n- type: BadNet\n  name: badnet\n  input: <input>\n  config:\n    target: <target>\n```\n"));
    assertThat(md, containsString("\n## Train\n"));
    assertThat(md, containsString("- Losses: [ClipLoss](#cliploss)"));
  }
}
