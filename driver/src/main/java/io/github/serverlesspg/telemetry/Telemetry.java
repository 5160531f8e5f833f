package io.github.serverlesspg.telemetry;

import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.util.BoundedCache;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The telemetry of each plan and target of the process, created on first use. Holds no OpenTelemetry instance of its
 * own: instruments are looked up through {@link TelemetryProvider} at use.
 */
public final class Telemetry {
  /** Plans are cached by the driver too (a few hundred at most); this bounds ours the same way. */
  private static final BoundedCache<Object, PlanTelemetry> PLANS = new BoundedCache<>(1_024);
  private static final ConcurrentHashMap<String, TargetTelemetry> TARGETS = new ConcurrentHashMap<>();

  private Telemetry() {
  }

  /**
   * The telemetry of {@code plan} (keyed by its cache key).
   *
   * @param directory names the plan's target and reads its pool counters
   */
  public static PlanTelemetry of(ConnectionPlan plan, PoolDirectory directory) {
    PlanTelemetry telemetry = PLANS.get(plan.cacheKey());
    if (telemetry == null) {
      String name = directory.target(plan);
      TargetTelemetry targetTelemetry = TARGETS.get(name);
      if (targetTelemetry == null) {
        // putIfAbsent, not computeIfAbsent with a lambda: no lambda bootstrap on the cold path.
        TargetTelemetry created = new TargetTelemetry(name, directory);
        targetTelemetry = TARGETS.putIfAbsent(name, created);
        targetTelemetry = targetTelemetry == null ? created : targetTelemetry;
      }
      telemetry = new PlanTelemetry(plan, targetTelemetry);
      PLANS.put(plan.cacheKey(), telemetry);
    }
    return telemetry;
  }

  /** Statement statistics of {@code target} so far; empty when nothing was traced. */
  static QueryStats.Snapshot queryStats(String target) {
    TargetTelemetry telemetry = TARGETS.get(target);
    return telemetry == null ? QueryStats.Snapshot.EMPTY : telemetry.queryStats().snapshot();
  }
}
