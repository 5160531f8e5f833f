package io.github.serverlesspg.telemetry;

/**
 * One target's pool and statement numbers over JMX, as {@code io.github.serverlesspg:type=Pool,name="<target>"}: the
 * same numbers as the health snapshot, without the live round trip.
 */
public interface TargetMXBean {
  String getMode();

  String getEndpoint();

  int getActive();

  int getIdle();

  int getTotal();

  int getWaiting();

  int getLimit();

  int getUtilization();

  long getTotalQueries();

  long getFailedQueries();

  double getAvgLatencyMillis();

  double getP95LatencyMillis();

  double getP99LatencyMillis();
}
