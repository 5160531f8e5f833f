package io.github.serverlesspg;

import io.github.serverlesspg.logical.LeakDetector;
import io.github.serverlesspg.physical.PhysicalPool;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.telemetry.PlanTelemetry;

/**
 * A plan bound to what serves it: its telemetry, its leak detector and, once looked up, its pool. Cached with the
 * plan (by the {@link PlanCache} and the {@link ServerlessPgDataSource}), so that a warm {@code getConnection} goes
 * straight to the pool without a registry lookup; the pool is looked up again only when it was closed (its target
 * went idle).
 */
final class Target {
  /**
   * The plan; one that {@linkplain ConnectionPlan#awaitsProbe awaits the probe} of its endpoint is replaced by the
   * resolved plan after the first connection.
   */
  volatile ConnectionPlan plan;
  /** Null with {@code telemetry=off}. */
  final PlanTelemetry telemetry;
  /** Null with leak detection off. */
  final LeakDetector leakDetector;
  volatile PhysicalPool pool;

  Target(ConnectionPlan plan, PlanTelemetry telemetry, LeakDetector leakDetector) {
    this.plan = plan;
    this.telemetry = telemetry;
    this.leakDetector = leakDetector;
  }
}
