package org.abdflow.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.abdflow.engine.stages.CacheInventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code abdflow cache list|prune}: what the stage cache beside the run folders holds, and removing old entries. */
@Command(name = "cache", mixinStandardHelpOptions = true, description = "list or prune the stage cache (RUNS/.abdflow-cache)",
    subcommands = {CacheCommand.List.class, CacheCommand.Prune.class})
final class CacheCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Entries, oldest use first, with their size. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "entries of the cache, oldest use first")
  static final class List implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "runs", description = "the folder the runs are written into (default: runs)")
    Path runs;

    @Override
    public Integer call() throws Exception {
      Path cache = CacheInventory.cacheOf(runs);
      java.util.List<CacheInventory.Entry> entries = CacheInventory.list(cache);
      long total = 0;
      for (CacheInventory.Entry e : entries) {
        System.out.printf(Locale.ROOT, "%s  %-17s %9.1f MiB  %s%n", e.lastUsed(), e.kind(), e.bytes() / 1048576.0, cache.relativize(e.path()));
        total += e.bytes();
      }
      System.out.printf(Locale.ROOT, "%d entries, %.1f MiB in %s%n", entries.size(), total / 1048576.0, cache);
      return 0;
    }
  }

  /** Removes entries not used for some days. */
  @Command(name = "prune", mixinStandardHelpOptions = true,
      description = "remove entries no run has used for DAYS days, and/or the least recently used beyond SIZE")
  static final class Prune implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "runs", description = "the folder the runs are written into (default: runs)")
    Path runs;

    @Option(names = "--older-than-days", paramLabel = "DAYS", description = "last used more than DAYS days ago (0: all)")
    Double days;

    @Option(names = "--max-size", paramLabel = "SIZE",
        description = "then remove the least recently used entries until the cache takes at most SIZE (bytes, or with k, m, g, t: 500m, 2g)")
    String maxSize;

    @Option(names = "--dry-run", description = "say what would go, remove nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      if (days == null && maxSize == null) {
        System.err.println("abdflow cache prune: say what to remove: --older-than-days DAYS and/or --max-size SIZE");
        return 2;
      }
      Long limit;
      try {
        limit = maxSize == null ? null : bytes(maxSize);
      } catch (IllegalArgumentException e) {
        System.err.println("abdflow cache prune: --max-size " + e.getMessage());
        return 2;
      }
      Path cache = CacheInventory.cacheOf(runs);
      java.util.List<CacheInventory.Entry> gone =
          CacheInventory.prune(cache, days == null ? null : Duration.ofSeconds((long) (days * 86400)), limit, dryRun);
      long bytes = gone.stream().mapToLong(CacheInventory.Entry::bytes).sum();
      System.out.printf(Locale.ROOT, "%s %d entries, %.1f MiB, from %s%n", dryRun ? "would remove" : "removed", gone.size(), bytes / 1048576.0, cache);
      return 0;
    }

    /** {@code 123}, {@code 500k}, {@code 500m}, {@code 2g}, {@code 1t} (powers of 1024; a trailing b or ib is allowed). */
    static long bytes(String size) {
      String s = size.trim().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)").matcher(s);
      if (!m.matches()) {
        throw new IllegalArgumentException("must be a size such as 500m or 2g, not '" + size + "'");
      }
      int power = "kmgt".indexOf(m.group(2).isEmpty() ? " " : m.group(2)) + 1;
      return (long) (Double.parseDouble(m.group(1)) * Math.pow(1024, power));
    }
  }
}
