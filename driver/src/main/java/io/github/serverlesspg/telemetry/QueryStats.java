package io.github.serverlesspg.telemetry;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * In-process latency statistics of one target's statements, for the health snapshot and the MBean: count, failures,
 * mean and percentiles since the process started. Writers use HdrHistogram's wait-free {@link Recorder}; readers fold
 * its interval histograms into a cumulative one under a lock, which only readers take.
 */
final class QueryStats {
  /** Latencies are kept in microseconds up to one hour (longer ones count as one hour), to two significant digits. */
  private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  private final Recorder recorder = new Recorder(MAX_MICROS, 2);
  private final LongAdder failed = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();
  private final ReentrantLock readLock = new ReentrantLock();
  private final Histogram cumulative = new Histogram(MAX_MICROS, 2);
  private Histogram interval;

  /** Records one execution. Allocation-free. */
  void record(long nanos, boolean failure) {
    recorder.recordValue(Math.max(1, Math.min(MAX_MICROS, nanos / 1_000)));
    totalNanos.add(nanos);
    if (failure) {
      failed.increment();
    }
  }

  /** Everything recorded so far. */
  Snapshot snapshot() {
    readLock.lock();
    try {
      interval = recorder.getIntervalHistogram(interval);
      cumulative.add(interval);
      long count = cumulative.getTotalCount();
      return new Snapshot(count, failed.sum(),
          count == 0 ? 0 : totalNanos.sum() / 1e6 / count,
          count == 0 ? 0 : cumulative.getValueAtPercentile(95) / 1e3,
          count == 0 ? 0 : cumulative.getValueAtPercentile(99) / 1e3);
    } finally {
      readLock.unlock();
    }
  }

  /** Statement counts and latencies in milliseconds, as the seed's metrics report them. */
  record Snapshot(long totalQueries, long failedQueries, double avgLatencyMillis, double p95LatencyMillis,
      double p99LatencyMillis) {
    static final Snapshot EMPTY = new Snapshot(0, 0, 0, 0, 0);
  }
}
