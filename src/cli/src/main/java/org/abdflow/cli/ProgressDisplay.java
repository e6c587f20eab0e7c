package org.abdflow.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.abdflow.engine.progress.Progress;

/**
 * The live view of a run on stderr. On a terminal: a block of bars, one per working stage
 * (records/s, and for trainings steps done, ETA and the last epoch's loss), redrawn in place, with
 * log lines and events printed above it. Elsewhere (CI logs, a pipe): a plain line every interval
 * naming the stages that moved, so logs stay readable.
 */
final class ProgressDisplay implements AutoCloseable {
  /** How the display draws. */
  enum Mode { BARS, LINES, OFF }

  private static final long ACTIVE_NANOS = TimeUnit.SECONDS.toNanos(3);
  private static final int MAX_LINES = 8;

  private final Mode mode;
  private final PrintStream out;
  private final PrintStream originalErr;
  private final ScheduledExecutorService ticker;
  private final long startNanos = System.nanoTime();
  private final int width;
  private int drawn;
  private long lastLineNanos = System.nanoTime();

  private ProgressDisplay(Mode mode, PrintStream out, long periodMillis, int width, boolean captureErr) {
    this.mode = mode;
    this.out = out;
    this.width = width;
    this.originalErr = System.err;
    Progress.reset();
    if (mode == Mode.BARS && captureErr) {
      // log lines reach the terminal through the display, so they never land inside the bars
      System.setErr(new PrintStream(new LineStream(this), true, StandardCharsets.UTF_8));
    }
    if (mode == Mode.OFF) {
      ticker = null;
    } else {
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "abdflow-progress");
        t.setDaemon(true);
        return t;
      });
      ticker.scheduleAtFixedRate(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** The display for this process: bars on a terminal, a line every {@code intervalSeconds} otherwise. */
  static ProgressDisplay start(String requested, int intervalSeconds) {
    Mode mode = switch (requested.toLowerCase(Locale.ROOT)) {
      case "bars" -> Mode.BARS;
      case "lines" -> Mode.LINES;
      case "off" -> Mode.OFF;
      default -> System.console() != null && !"dumb".equals(System.getenv("TERM")) ? Mode.BARS : Mode.LINES;
    };
    int width = 120;
    try {
      width = Math.max(60, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "120")));
    } catch (NumberFormatException e) {
      // keep the default
    }
    return new ProgressDisplay(mode, System.err, mode == Mode.BARS ? 500 : 1000L * intervalSeconds, width, true);
  }

  /** A display onto {@code out} (tests). */
  static ProgressDisplay onto(Mode mode, PrintStream out, long periodMillis) {
    return new ProgressDisplay(mode, out, periodMillis, 120, false);
  }

  synchronized void tick() {
    long now = System.nanoTime();
    List<Progress.Stage> stages = Progress.snapshot();
    if (mode == Mode.BARS) {
      erase();
      Progress.drainEvents().forEach(out::println);
      draw(render(stages, now, width, true));
    } else {
      Progress.drainEvents(); // the log has them already
      List<String> moved = new ArrayList<>();
      for (Progress.Stage s : stages) {
        if (s.lastNanos() > lastLineNanos) {
          moved.add(describe(s, false));
        }
      }
      lastLineNanos = now;
      if (!moved.isEmpty()) {
        out.println("progress " + clock(now - startNanos) + ": " + String.join(" | ", moved));
      }
    }
    out.flush();
  }

  /** A log line: printed above the bars, which are drawn again below it. */
  synchronized void logLine(String line) {
    erase();
    out.println(line);
    draw(render(Progress.snapshot(), System.nanoTime(), width, true));
    out.flush();
  }

  /** The bars of the stages working now (reported in the last seconds, or a training not done). */
  static List<String> render(List<Progress.Stage> stages, long now, int width, boolean bars) {
    List<String> lines = new ArrayList<>();
    for (Progress.Stage s : stages) {
      boolean unfinished = s.total() >= 0 && s.done() < s.total();
      if (now - s.lastNanos() < ACTIVE_NANOS || unfinished) {
        String line = describe(s, bars);
        lines.add(line.length() > width ? line.substring(0, width - 1) + "…" : line);
      }
    }
    if (lines.size() > MAX_LINES) {
      int more = lines.size() - (MAX_LINES - 1);
      lines = new ArrayList<>(lines.subList(0, MAX_LINES - 1));
      lines.add("… and " + more + " more stages");
    }
    return lines;
  }

  static String describe(Progress.Stage s, boolean bar) {
    StringBuilder b = new StringBuilder(s.name());
    if (s.total() >= 0) {
      double f = s.total() == 0 ? 1 : Math.min(1, (double) s.done() / s.total());
      if (bar) {
        int cells = 24;
        int full = (int) Math.round(f * cells);
        b.append(" [").append("#".repeat(full)).append(".".repeat(cells - full)).append(']');
      }
      b.append(String.format(Locale.ROOT, " %3.0f%% %d/%d %s, %.1f/s", 100 * f, s.done(), s.total(), s.unit(), s.rate()));
      double eta = s.etaSeconds();
      if (eta >= 0 && s.done() < s.total()) {
        b.append(", ETA ").append(clock((long) (eta * 1e9)));
      }
    } else {
      b.append(String.format(Locale.ROOT, " %d %s, %.0f/s", s.done(), s.unit(), s.rate()));
    }
    if (!s.detail().isEmpty()) {
      b.append(", ").append(s.detail());
    }
    return b.toString();
  }

  private static String clock(long nanos) {
    long s = TimeUnit.NANOSECONDS.toSeconds(nanos);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  private void draw(List<String> lines) {
    lines.forEach(out::println);
    drawn = lines.size();
  }

  private void erase() {
    for (int i = 0; i < drawn; i++) {
      out.print("\033[1A\033[2K"); // up one line, clear it
    }
    drawn = 0;
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    synchronized (this) {
      if (mode == Mode.BARS) {
        erase();
        Progress.drainEvents().forEach(out::println);
      } else if (mode == Mode.LINES) {
        Progress.drainEvents();
      }
      out.flush();
    }
    if (System.err != originalErr) {
      System.setErr(originalErr);
    }
  }

  /** Bytes written to stderr, handed to the display line by line. */
  private static final class LineStream extends OutputStream {
    private final ProgressDisplay display;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineStream(ProgressDisplay display) {
      this.display = display;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        display.logLine(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
