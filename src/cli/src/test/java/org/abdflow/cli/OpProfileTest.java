package org.abdflow.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class OpProfileTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  // two steps on one thread: a convolution whose 100 µs include an empty_ (10) and a copy_ (30),
  // then a mul (20) after a 50 µs gap; a second thread's op is counted apart from the first's
  private static final String EVENTS = "["
      + event("aten::conv2d", 0, 100, 1) + ","
      + event("aten::empty", 5, 10, 1) + ","
      + event("aten::copy_", 40, 30, 1) + ","
      + event("aten::mul", 150, 20, 1) + ","
      + event("aten::conv2d", 200, 100, 1) + ","
      + event("aten::mm", 300, 40, 1) + ","
      + event("aten::batch_norm", 0, 60, 2) + ","
      + "{\"ph\": \"i\", \"name\": \"marker\", \"ts\": 1}"
      + "]";

  private static String event(String name, double ts, double dur, int tid) {
    return String.format(java.util.Locale.ROOT, "{\"name\": \"%s\", \"ph\": \"X\", \"ts\": %.1f, \"dur\": %.1f, \"tid\": %d, \"pid\": \"CPU\"}",
        name, ts, dur, tid);
  }

  @Test
  public void selfTimesKindsAndGapsPerStep() throws Exception {
    Path trace = tmp.getRoot().toPath().resolve("t.json");
    Files.writeString(trace, EVENTS);
    OpProfile p = OpProfile.read(trace, 2);
    // conv2d: 100 - 10 - 30 + 100 = 160 µs over 2 steps
    assertEquals(0.080, p.millis("aten::conv2d"), 1e-9);
    assertEquals(0.005, p.millis("aten::empty"), 1e-9);
    assertEquals(1.0, p.callsPerStep("aten::conv2d"), 1e-9);
    Map<String, Double> kinds = p.millisPerKind();
    assertEquals(0.080, kinds.get("convolution"), 1e-9);
    assertEquals(0.020, kinds.get("matrix product"), 1e-9);
    assertEquals(0.030, kinds.get("normalisation"), 1e-9);
    assertEquals(0.020, kinds.get("memory (alloc, copy, fill)"), 1e-9);
    assertEquals(0.010, kinds.get("element-wise and other"), 1e-9);
    // top level: conv 100, mul 20, conv 100, mm 40 on thread 1; batch_norm 60 on thread 2
    assertEquals(0.160, p.millisInOps(), 1e-9);
    assertEquals(2.5, p.opsPerStep(), 1e-9);
    // gaps on thread 1: 100..150 and 170..200
    assertEquals(0.040, p.millisBetweenOps(), 1e-9);
    assertEquals("aten::conv2d", p.topOps(1).keySet().iterator().next());
  }

  @Test
  public void readsTheObjectFormOfTraces() throws Exception {
    Path trace = tmp.getRoot().toPath().resolve("t.json");
    Files.writeString(trace, "{\"schemaVersion\": 1, \"deviceProperties\": [{\"a\": [1, 2]}], \"traceEvents\": " + EVENTS + "}");
    OpProfile p = OpProfile.read(trace, 2);
    assertEquals(0.080, p.millis("aten::conv2d"), 1e-9);
    String table = OpProfile.render("train-step", p, p, null, null);
    assertThat(table, containsString("convolution"));
    assertThat(table, containsString("between ops"));
  }

  @Test
  public void showsTheStepWithoutTheProfilerAndWarnsWhenTheProfilerInflatedIt() throws Exception {
    Path trace = tmp.getRoot().toPath().resolve("t.json");
    Files.writeString(trace, EVENTS);
    OpProfile p = OpProfile.read(trace, 2);
    double profiled = p.millisInOps() + p.millisBetweenOps();
    String close = OpProfile.render("train-step", p, null, profiled, null);
    assertThat(close, containsString("step without the profiler"));
    assertThat(close, not(containsString("read the rows as shares")));
    String inflated = OpProfile.render("train-step", p, null, profiled / 3, null);
    assertThat(inflated, containsString("the profiler slowed DJL's step 3.0x"));
  }

  @Test
  public void refusesWhatIsNoTrace() throws Exception {
    Path trace = tmp.getRoot().toPath().resolve("t.json");
    Files.writeString(trace, "\"hello\"");
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> OpProfile.read(trace, 1));
    assertThat(e.getMessage(), containsString("not a Chrome trace"));
  }
}
