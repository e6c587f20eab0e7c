package org.abdflow.cli;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.abdflow.engine.report.RunReport;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The bench's inputs and arithmetic; its numbers come from running it. */
public class ParallelStagesBenchTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aRepeatedIdxFileHoldsTheRecordsThatManyTimesOver() throws Exception {
    Path dir = tmp.getRoot().toPath();
    TestData.writeIdx(dir.resolve("i.gz"), dir.resolve("l.gz"), 5, 1);
    Path images = ParallelStagesBench.repeated(dir.resolve("i.gz"), 16, 3, dir.resolve("out"));
    Path labels = ParallelStagesBench.repeated(dir.resolve("l.gz"), 8, 3, dir.resolve("out"));
    byte[] once = body(dir.resolve("i.gz"), 16, 5 * 784);
    byte[] thrice = body(images, 16, 15 * 784);
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(once, java.util.Arrays.copyOfRange(thrice, k * once.length, (k + 1) * once.length));
    }
    assertEquals(15, body(labels, 8, 15).length);
  }

  @Test
  public void theTableGivesRecordsPerSecondOfEachSpanAndTheSpeedUp() {
    Map<Integer, RunReport> reports = new LinkedHashMap<>();
    reports.put(1, report(10_000));
    reports.put(2, report(5_000));
    String table = ParallelStagesBench.table(reports);
    // 1,000 records in 10 s, then in 5 s
    assertTrue(table, table.contains("paste          1000       10.00       100.0        5.00       200.0     2.00x"));
    assertTrue(table, table.contains("all            4000       40.00       100.0       20.00       200.0     2.00x"));
  }

  private static RunReport report(long spanMs) {
    List<RunReport.Stage> stages = ParallelStagesBench.MEASURED.stream()
        .map(n -> new RunReport.Stage(n, "T", 1, 1000, 1000, 0, 1_000L, 1_000L + spanMs)).toList();
    return new RunReport("s", "FlinkRunner", 1, 60, stages, List.of(), 0, null, null, null, null);
  }

  /** The body of an IDX file after its header, which must count {@code length} bytes of records. */
  private static byte[] body(Path file, int header, int length) throws Exception {
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
      in.readInt();
      int count = in.readInt();
      in.skipBytes(header - 8);
      byte[] rest = in.readAllBytes();
      assertEquals(length, rest.length);
      assertEquals(header == 16 ? length / 784 : length, count);
      return rest;
    }
  }
}
