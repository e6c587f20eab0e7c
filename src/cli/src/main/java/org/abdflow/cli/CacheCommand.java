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
  @Command(name = "prune", mixinStandardHelpOptions = true, description = "remove entries no run has used for DAYS days")
  static final class Prune implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "runs", description = "the folder the runs are written into (default: runs)")
    Path runs;

    @Option(names = "--older-than-days", required = true, paramLabel = "DAYS", description = "last used more than DAYS days ago (0: all)")
    double days;

    @Option(names = "--dry-run", description = "say what would go, remove nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      Path cache = CacheInventory.cacheOf(runs);
      java.util.List<CacheInventory.Entry> gone = CacheInventory.prune(cache, Duration.ofSeconds((long) (days * 86400)), dryRun);
      long bytes = gone.stream().mapToLong(CacheInventory.Entry::bytes).sum();
      System.out.printf(Locale.ROOT, "%s %d entries, %.1f MiB, from %s%n", dryRun ? "would remove" : "removed", gone.size(), bytes / 1048576.0, cache);
      return 0;
    }
  }
}
