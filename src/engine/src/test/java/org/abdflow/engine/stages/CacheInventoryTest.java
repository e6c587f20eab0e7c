package org.abdflow.engine.stages;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CacheInventoryTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void listsEveryKindAndPrunesWhatNoRunUsedLately() throws Exception {
    Path runs = tmp.getRoot().toPath();
    Path run = runs.resolve("demo");
    Files.createDirectories(run);
    StageCache cache = StageCache.of(RunLayout.at(run));
    Path stage = Files.createDirectories(tmp.getRoot().toPath().resolve("stage"));
    Files.writeString(stage.resolve("training.json"), "{}");
    cache.put("old", stage, List.of("training.json"));
    cache.put("fresh", stage, List.of("training.json"));
    Path root = CacheInventory.cacheOf(runs);
    Files.createDirectories(root.resolve("abc.partial-1"));
    Files.createDirectories(root.resolve("abc.epochs"));
    Files.createDirectories(cache.memoDir("predictions", "classifier"));

    FileTime monthAgo = FileTime.from(Instant.now().minus(Duration.ofDays(30)));
    Files.setLastModifiedTime(root.resolve("old").resolve(StageCache.MANIFEST), monthAgo);
    Files.setLastModifiedTime(root.resolve("abc.partial-1"), monthAgo);
    Files.setLastModifiedTime(root.resolve("fresh").resolve(StageCache.MANIFEST), monthAgo);

    List<CacheInventory.Entry> entries = CacheInventory.list(root);
    assertEquals(5, entries.size());
    assertEquals(Map.of("old", "stage output", "fresh", "stage output", "abc.partial-1", "unfinished write", "abc.epochs", "epoch checkpoints",
        "classifier", "predictions"), entries.stream().collect(java.util.stream.Collectors.toMap(e -> e.path().getFileName().toString(),
            CacheInventory.Entry::kind)));

    // a hit marks the entry used, so pruning by age keeps it
    assertTrue(cache.find("stage", "fresh").isPresent());
    assertEquals(2, CacheInventory.prune(root, Duration.ofDays(7), true).size());
    assertTrue("a dry run removes nothing", Files.isDirectory(root.resolve("old")));
    List<CacheInventory.Entry> gone = CacheInventory.prune(root, Duration.ofDays(7), false);
    assertEquals(List.of("abc.partial-1", "old"), gone.stream().map(e -> e.path().getFileName().toString()).sorted().toList());
    assertFalse(Files.exists(root.resolve("old")));
    assertTrue(cache.find("stage", "fresh").isPresent());
    assertEquals(3, CacheInventory.list(root).size());
  }

  @Test
  public void pruningToASizeRemovesTheLeastRecentlyUsedFirst() throws Exception {
    Path runs = tmp.getRoot().toPath();
    Path run = Files.createDirectories(runs.resolve("demo"));
    StageCache cache = StageCache.of(RunLayout.at(run));
    Path stage = Files.createDirectories(runs.resolve("stage"));
    Files.write(stage.resolve("weights.bin"), new byte[1000]);
    Path root = CacheInventory.cacheOf(runs);
    Instant now = Instant.now();
    for (String key : List.of("used-3-days-ago", "used-2-days-ago", "used-1-day-ago")) {
      cache.put(key, stage, List.of("weights.bin"));
    }
    Files.setLastModifiedTime(root.resolve("used-3-days-ago").resolve(StageCache.MANIFEST), FileTime.from(now.minus(Duration.ofDays(3))));
    Files.setLastModifiedTime(root.resolve("used-2-days-ago").resolve(StageCache.MANIFEST), FileTime.from(now.minus(Duration.ofDays(2))));
    Files.setLastModifiedTime(root.resolve("used-1-day-ago").resolve(StageCache.MANIFEST), FileTime.from(now.minus(Duration.ofDays(1))));
    long one = CacheInventory.list(root).get(0).bytes();

    assertEquals("within the size: nothing", List.of(), CacheInventory.prune(root, null, 3 * one, false));
    assertEquals(List.of("used-3-days-ago", "used-2-days-ago"),
        CacheInventory.prune(root, null, one + one / 2, true).stream().map(e -> e.path().getFileName().toString()).toList());
    assertEquals("a dry run removes nothing", 3, CacheInventory.list(root).size());
    CacheInventory.prune(root, null, one + one / 2, false);
    assertEquals(List.of("used-1-day-ago"), CacheInventory.list(root).stream().map(e -> e.path().getFileName().toString()).toList());
    assertTrue(cache.find("stage", "used-1-day-ago").isPresent());
  }
}
