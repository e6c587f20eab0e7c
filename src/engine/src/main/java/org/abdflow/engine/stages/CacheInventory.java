package org.abdflow.engine.stages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a stage cache ({@code .abdflow-cache} beside the run folders) holds, and pruning it: the
 * cache only grows as runs add entries, so old ones are removed by age of last use (a hit
 * refreshes it). Unfinished writes ({@code KEY.partial-*}) are always removable once old, since a
 * live write renames its folder within the minutes a stage takes.
 */
public final class CacheInventory {
  /** One entry: a stage's output, a whole finished run, the epoch checkpoints of an unfinished stage, or a classifier's predictions. */
  public record Entry(Path path, String kind, long bytes, Instant lastUsed) {}

  private CacheInventory() {}

  /** The cache of runs written into {@code runsFolder} (their parent folder). */
  public static Path cacheOf(Path runsFolder) {
    return runsFolder.toAbsolutePath().resolve(".abdflow-cache");
  }

  /** Every entry under {@code cache}, oldest use first; an absent cache has none. */
  public static List<Entry> list(Path cache) throws IOException {
    List<Entry> out = new ArrayList<>();
    if (!Files.isDirectory(cache)) {
      return out;
    }
    try (Stream<Path> top = Files.list(cache)) {
      for (Path p : top.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.equals("predictions") && Files.isDirectory(p)) {
          try (Stream<Path> tables = Files.list(p)) {
            for (Path t : tables.sorted().toList()) {
              out.add(new Entry(t, "predictions", size(t), lastUsed(t)));
            }
          }
        } else if (Files.isDirectory(p)) {
          String kind = name.contains(".partial-") ? "unfinished write" : name.endsWith(".epochs") ? "epoch checkpoints"
              : !Files.isRegularFile(p.resolve(StageCache.MANIFEST)) ? "unknown" : name.startsWith("run-") ? "whole run" : "stage output";
          Path stamp = Files.isRegularFile(p.resolve(StageCache.MANIFEST)) ? p.resolve(StageCache.MANIFEST) : p;
          out.add(new Entry(p, kind, size(p), lastUsed(stamp)));
        }
      }
    }
    out.sort(java.util.Comparator.comparing(Entry::lastUsed));
    return out;
  }

  /** Removes the entries last used before {@code now − olderThan}; returns them. */
  public static List<Entry> prune(Path cache, Duration olderThan, boolean dryRun) throws IOException {
    return prune(cache, olderThan, null, dryRun);
  }

  /**
   * Removes the entries last used before {@code now − olderThan} (when given), then the least
   * recently used of the rest until they take at most {@code maxBytes} (when given); returns what
   * goes (with {@code dryRun}, what would), least recently used first.
   */
  public static List<Entry> prune(Path cache, Duration olderThan, Long maxBytes, boolean dryRun) throws IOException {
    List<Entry> entries = list(cache);
    Instant cut = olderThan == null ? Instant.MIN : Instant.now().minus(olderThan);
    long left = entries.stream().mapToLong(Entry::bytes).sum();
    List<Entry> removed = new ArrayList<>();
    for (Entry e : entries) {
      if (e.lastUsed().isBefore(cut) || (maxBytes != null && left > maxBytes)) {
        removed.add(e);
        left -= e.bytes();
      }
    }
    if (!dryRun) {
      for (Entry e : removed) {
        org.abdflow.engine.Abdflow.deleteTree(e.path());
      }
    }
    return removed;
  }

  /** Marks an entry used now, so pruning by age keeps what runs still read. */
  static void touch(Path path) {
    try {
      Files.setLastModifiedTime(path, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // a read-only cache is still a cache; only pruning by age is less precise
    }
  }

  private static Instant lastUsed(Path p) throws IOException {
    return Files.getLastModifiedTime(p).toInstant();
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
