package io.github.serverlesspg.telemetry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.serverlesspg.routing.ConnectionPlan;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The telemetry of each plan and target of the process, created on first use. Holds no OpenTelemetry instance of its
 * own: instruments are looked up through {@link TelemetryProvider} at use.
 */
public final class Telemetry {
  /** Plans are cached by the driver too (a few hundred at most); this bounds ours the same way. */
  private static final Cache<String, PlanTelemetry> PLANS = Caffeine.newBuilder().maximumSize(1_024).build();
  private static final ConcurrentHashMap<String, TargetTelemetry> TARGETS = new ConcurrentHashMap<>();

  private Telemetry() {
  }

  /**
   * The telemetry of {@code plan} (keyed by its cache key).
   *
   * @param directory names the plan's target and reads its pool counters
   */
  public static PlanTelemetry of(ConnectionPlan plan, PoolDirectory directory) {
    PlanTelemetry telemetry = PLANS.getIfPresent(plan.cacheKey());
    if (telemetry == null) {
      TargetTelemetry targetTelemetry = TARGETS.computeIfAbsent(directory.target(plan),
          name -> new TargetTelemetry(name, directory));
      telemetry = PLANS.get(plan.cacheKey(), key -> new PlanTelemetry(plan, targetTelemetry));
    }
    return telemetry;
  }

  /** Statement statistics of {@code target} so far; empty when nothing was traced. */
  static QueryStats.Snapshot queryStats(String target) {
    TargetTelemetry telemetry = TARGETS.get(target);
    return telemetry == null ? QueryStats.Snapshot.EMPTY : telemetry.queryStats().snapshot();
  }
}
