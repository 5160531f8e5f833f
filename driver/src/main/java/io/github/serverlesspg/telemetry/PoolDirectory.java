package io.github.serverlesspg.telemetry;

import io.github.serverlesspg.physical.PoolStats;
import io.github.serverlesspg.routing.ConnectionPlan;

/** The driver's open pools, as telemetry reads them: a plan's target and the summed counters of a target's pools. */
public interface PoolDirectory {
  /** {@code host:port/database} of the plan's routed endpoint: the pool name in metrics and health reports. */
  String target(ConnectionPlan plan);

  /** The counters of every open pool of {@code target} added up (one per credential set); zeros when none is open. */
  PoolStats stats(String target);
}
