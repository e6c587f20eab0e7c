package org.abdflow.cli;

import static org.abdflow.cli.TemplatePluginWalkthroughTest.cli;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.abdflow.engine.report.ReportWriter;
import org.abdflow.engine.report.RunManifest;
import org.abdflow.engine.report.RunReport;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code abdflow summarize}: the mean ± sd over run folders, as Markdown and as one HTML page. */
public class SummarizeCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Path run(String name, String specAsGiven, String specSha, long seed, double victimAsr) throws Exception {
    Path dir = tmp.newFolder(name).toPath();
    List<RunReport.Stage> stages = List.of(new RunReport.Stage("victim", "Train", 1, 10, 1, 0));
    List<RunReport.Result> results =
        List.of(new RunReport.Result("eval", "victim", "none", "badnet", "poisoned", 0.8, 0.9, victimAsr, victimAsr, 100, 90L));
    ReportWriter.write(new RunReport(specAsGiven, "FlinkRunner", seed, 100, stages, results, 0, Map.of(), null, null, null), dir);
    Files.writeString(dir.resolve(RunManifest.FILE), "{\"spec_sha256\": \"" + specSha + "\"}");
    return dir;
  }

  @Test
  public void summarisesRunsOfOneSpecGivenByDifferentPathsAndWritesThePage() throws Exception {
    Path a = run("seed1", "pipelines/demo.yaml", "ab12", 1, 0.9);
    Path b = run("seed2", "/work/repo/pipelines/demo.yaml", "ab12", 2, 0.7);
    Path html = tmp.getRoot().toPath().resolve("summary.html");
    String[] r = cli("summarize", a.toString(), b.toString(), "--html", html.toString());
    assertEquals(r[2], "0", r[0]);
    assertThat(r[1], containsString("80.0 ± 14.1"));
    assertThat("one spec by its digest, whatever path named it", r[2], not(containsString("different specs")));
    assertThat(Files.readString(html), containsString("80.0 &plusmn; 14.1"));
    assertEquals(List.of(html), Files.list(tmp.getRoot().toPath()).filter(p -> p.toString().endsWith(".html") || p.toString().endsWith(".tmp")).toList());
  }

  @Test
  public void saysSoWhenSpecsDifferOrSeedsRepeat() throws Exception {
    Path a = run("one", "a.yaml", "aaaa", 1, 0.9);
    Path b = run("other", "b.yaml", "bbbb", 1, 0.7);
    String[] r = cli("summarize", a.toString(), b.toString());
    assertEquals("0", r[0]);
    assertThat(r[2], containsString("different specs [a.yaml, b.yaml]"));
    assertThat(r[2], containsString("seeds [1, 1] repeat"));
  }
}
