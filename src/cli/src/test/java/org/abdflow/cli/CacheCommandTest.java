package org.abdflow.cli;

import static org.abdflow.cli.TemplatePluginWalkthroughTest.cli;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.abdflow.engine.stages.CacheInventory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code abdflow cache prune}: by age, by size, and what it refuses. */
public class CacheCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void sizesReadAsPowersOf1024() {
    assertEquals(123, CacheCommand.Prune.bytes("123"));
    assertEquals(500L << 20, CacheCommand.Prune.bytes("500m"));
    assertEquals(2L << 30, CacheCommand.Prune.bytes("2G"));
    assertEquals(3L << 29, CacheCommand.Prune.bytes("1.5GiB"));
    assertThrows(IllegalArgumentException.class, () -> CacheCommand.Prune.bytes("lots"));
  }

  @Test
  public void prunesTheLeastRecentlyUsedBeyondTheSizeAndSaysWhatIsMissing() throws Exception {
    Path runs = tmp.newFolder("runs").toPath();
    Path root = CacheInventory.cacheOf(runs);
    for (int i = 1; i <= 3; i++) {
      Path entry = Files.createDirectories(root.resolve("entry-" + i));
      Files.write(entry.resolve("manifest.json"), new byte[1024 * 1024]);
      Files.setLastModifiedTime(entry.resolve("manifest.json"), FileTime.from(Instant.now().minus(Duration.ofDays(10 - i))));
    }
    String[] dry = cli("cache", "prune", "--runs", runs.toString(), "--max-size", "1.5m", "--dry-run");
    assertEquals(dry[2], "0", dry[0]);
    assertThat(dry[1], containsString("would remove 2 entries, 2.0 MiB"));
    assertEquals(3, CacheInventory.list(root).size());

    String[] r = cli("cache", "prune", "--runs", runs.toString(), "--max-size", "1.5m");
    assertThat(r[1], containsString("removed 2 entries"));
    assertTrue("the most recently used stays", Files.isDirectory(root.resolve("entry-3")));
    assertEquals(1, CacheInventory.list(root).size());

    String[] none = cli("cache", "prune", "--runs", runs.toString());
    assertEquals("2", none[0]);
    assertThat(none[2], containsString("--older-than-days DAYS and/or --max-size SIZE"));
    String[] bad = cli("cache", "prune", "--runs", runs.toString(), "--max-size", "lots");
    assertEquals("2", bad[0]);
    assertThat(bad[2], containsString("must be a size such as 500m or 2g, not 'lots'"));
  }
}
