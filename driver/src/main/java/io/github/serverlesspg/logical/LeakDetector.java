package io.github.serverlesspg.logical;

import io.github.serverlesspg.util.Log;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reports logical connections that stay open longer than {@code leakDetectionThreshold}, with the stack of the
 * {@code getConnection} call that opened them. Exists only when the threshold is set: with leak detection off the
 * driver holds no instance, records no stack and schedules nothing.
 */
public final class LeakDetector {
  private static final Log LOG = Log.of(LeakDetector.class);

  private final long thresholdMillis;
  private final BiConsumer<Object, Throwable> reporter;

  public LeakDetector(long thresholdMillis) {
    this(thresholdMillis, (connection, origin) -> LOG.warn(
        "Possible connection leak: {} has been open for more than {} ms (leakDetectionThreshold)", connection,
        thresholdMillis, origin));
  }

  /** With a reporter of its own, for tests. */
  LeakDetector(long thresholdMillis, BiConsumer<Object, Throwable> reporter) {
    this.thresholdMillis = thresholdMillis;
    this.reporter = reporter;
  }

  /**
   * Starts the clock for one logical connection. The pending report holds the connection's description, never the
   * connection itself, so that an abandoned handle can still be garbage-collected and reclaimed before it is due.
   */
  Watch watch(Object connection) {
    String description = connection.toString();
    Throwable origin = new Throwable("getConnection() was called here and the connection was not closed");
    ScheduledFuture<?> report = Timer.EXECUTOR.schedule(new Report(reporter, description, origin), thresholdMillis,
        TimeUnit.MILLISECONDS);
    return new Watch(report, origin);
  }

  /** The report of one connection, due at the threshold; a class so that what it holds is explicit. */
  private static final class Report implements Runnable {
    private final BiConsumer<Object, Throwable> reporter;
    private final String description;
    private final Throwable origin;

    Report(BiConsumer<Object, Throwable> reporter, String description, Throwable origin) {
      this.reporter = reporter;
      this.description = description;
      this.origin = origin;
    }

    @Override
    public void run() {
      reporter.accept(description, origin);
    }
  }

  /** The pending report of one logical connection; cancelled when it closes. */
  static final class Watch {
    private final ScheduledFuture<?> report;
    private final Throwable origin;

    private Watch(ScheduledFuture<?> report, Throwable origin) {
      this.report = report;
      this.origin = origin;
    }

    /** Where the connection was opened: also reported if it is reclaimed after being abandoned. */
    Throwable origin() {
      return origin;
    }

    void cancel() {
      report.cancel(false);
    }
  }

  /** Whether the timer thread was started (without starting it by asking). */
  private static volatile boolean timerStarted;

  /** Stops the timer thread, if leak detection ever started it; pending reports are dropped. For undeployment. */
  public static void stopTimer() {
    if (timerStarted) {
      Timer.EXECUTOR.shutdownNow();
    }
  }

  /** One daemon timer thread for the process, started the first time leak detection is used. */
  private static final class Timer {
    static final ScheduledExecutorService EXECUTOR = createExecutor();

    private static ScheduledExecutorService createExecutor() {
      java.util.concurrent.ScheduledThreadPoolExecutor executor = new java.util.concurrent.ScheduledThreadPoolExecutor(
          1, runnable -> {
            Thread thread = new Thread(runnable, "serverless-pg-leak-detector");
            thread.setDaemon(true);
            return thread;
          });
      // Cancelled reports are the common case: drop them at once instead of keeping them queued until due.
      executor.setRemoveOnCancelPolicy(true);
      timerStarted = true;
      return executor;
    }
  }
}
