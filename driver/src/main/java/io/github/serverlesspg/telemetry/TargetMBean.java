package io.github.serverlesspg.telemetry;

import io.github.serverlesspg.physical.PoolStats;

/** The {@link TargetMXBean} of one target; reads live numbers on every call. */
final class TargetMBean implements TargetMXBean {
  private final TargetTelemetry target;
  private final String mode;
  private final String endpoint;

  TargetMBean(TargetTelemetry target, String mode, String endpoint) {
    this.target = target;
    this.mode = mode;
    this.endpoint = endpoint;
  }

  private PoolStats stats() {
    return target.poolStats();
  }

  private QueryStats.Snapshot queries() {
    return target.queryStats().snapshot();
  }

  @Override
  public String getMode() {
    return mode;
  }

  @Override
  public String getEndpoint() {
    return endpoint;
  }

  @Override
  public int getActive() {
    return stats().active();
  }

  @Override
  public int getIdle() {
    return stats().idle();
  }

  @Override
  public int getTotal() {
    return stats().total();
  }

  @Override
  public int getWaiting() {
    return stats().waiting();
  }

  @Override
  public int getLimit() {
    return stats().limit();
  }

  @Override
  public int getUtilization() {
    return stats().utilizationPercent();
  }

  @Override
  public long getTotalQueries() {
    return queries().totalQueries();
  }

  @Override
  public long getFailedQueries() {
    return queries().failedQueries();
  }

  @Override
  public double getAvgLatencyMillis() {
    return queries().avgLatencyMillis();
  }

  @Override
  public double getP95LatencyMillis() {
    return queries().p95LatencyMillis();
  }

  @Override
  public double getP99LatencyMillis() {
    return queries().p99LatencyMillis();
  }
}
