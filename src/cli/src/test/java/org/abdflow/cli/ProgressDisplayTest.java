package org.abdflow.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.abdflow.engine.progress.Progress;
import org.junit.Test;

public class ProgressDisplayTest {
  private static final long S = 1_000_000_000L;

  @Test
  public void aTrainingShowsItsBarStepsRateEtaAndLoss() {
    Progress.Stage victim = new Progress.Stage("victim", "steps", 120, 480, 0, 60 * S, "epoch 3/8, last epoch's loss 2.9130");
    // 120 steps in 60 s: 2 steps/s, 360 to go: 3 minutes
    assertEquals("victim [######..................]  25% 120/480 steps, 2.0/s, ETA 3:00, epoch 3/8, last epoch's loss 2.9130",
        ProgressDisplay.describe(victim, true));
    Progress.Stage records = new Progress.Stage("finetune-aa", "records", 1960, -1, 0, 2 * S, "");
    assertEquals("finetune-aa 1960 records, 980/s", ProgressDisplay.describe(records, true));
  }

  @Test
  public void onlyWorkingStagesAreDrawn() {
    long now = 100 * S;
    List<String> lines = ProgressDisplay.render(List.of(
        new Progress.Stage("done-source", "records", 10, -1, 0, 10 * S, ""),
        new Progress.Stage("poisoned", "records", 10, -1, 0, now - S, ""),
        new Progress.Stage("victim", "steps", 5, 10, 0, 20 * S, "")), now, 120, true);
    assertEquals("a source that stopped long ago is gone; a busy one and an unfinished training stay", 2, lines.size());
    assertThat(lines.get(0), containsString("poisoned"));
    assertThat(lines.get(1), containsString("victim"));
  }

  @Test
  public void withoutATerminalAPlainLineNamesTheStagesThatMoved() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (ProgressDisplay display = ProgressDisplay.onto(ProgressDisplay.Mode.LINES, out, 60_000)) {
      Progress.records("test", 980);
      Progress.steps("clean", "steps", 10, 100, "epoch 1/10");
      Progress.event("clean: epoch 1/10 loss 4.1 (3.0 s)");
      display.tick();
      display.tick(); // nothing moved since: no line
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(text, 1, text.lines().count());
    assertThat(text, containsString("progress 0:00: test 980 records"));
    assertThat(text, containsString("clean  10% 10/100 steps"));
    assertThat("no terminal codes in a log", text, not(containsString("\033[")));
  }

  @Test
  public void onATerminalLogLinesAndEventsGoAboveTheBarsWhichAreRedrawnInPlace() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (ProgressDisplay display = ProgressDisplay.onto(ProgressDisplay.Mode.BARS, out, 60_000)) {
      Progress.steps("victim", "steps", 1, 4, "epoch 1/2");
      display.tick();
      Progress.event("victim: epoch 1/2 loss 3.3 (0.6 s)");
      Progress.steps("victim", "steps", 2, 4, "epoch 2/2");
      display.tick();
      display.logLine("INFO a log line");
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    // each redraw clears the block drawn before (cursor up, clear line)
    assertTrue(text, text.contains("\033[1A\033[2K"));
    int event = text.indexOf("victim: epoch 1/2 loss 3.3");
    int secondBar = text.indexOf("2/4 steps");
    assertTrue("the event is printed before the bars that follow it: " + text, event >= 0 && event < secondBar);
    assertThat(text, containsString("INFO a log line\n"));
    assertTrue("the bars are drawn again below the log line", text.lastIndexOf("2/4 steps") > text.indexOf("INFO a log line"));
  }
}
