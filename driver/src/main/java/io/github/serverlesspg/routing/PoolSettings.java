package io.github.serverlesspg.routing;

import io.github.serverlesspg.config.ProcessBounds;
import io.github.serverlesspg.config.ServerlessPgProperty;

/**
 * How physical connections for one target are kept: the limits and timers of the process-wide cache.
 *
 * @param reuse keep physical connections across logical connections
 * @param maxConnections physical connections held for the target, except that threads which already hold one may
 *     open up to {@code nestingAllowance} more (see {@link #hardCap()})
 * @param acquireTimeoutMillis how long a caller waits for a physical connection
 * @param validationWindowMillis idle time after which a connection is validated before it is handed out
 * @param validationTimeoutMillis upper bound of one validation
 * @param idleTimeoutMillis idle time after which a connection is closed, 0 for never
 * @param maxLifetimeMillis age after which a connection is retired, 0 for never
 * @param leakDetectionThresholdMillis open time after which a logical connection is reported as leaked, 0 for off
 * @param connectRetryBudgetMillis how long after its first attempt opening a connection may still be retried, 0 for
 *     no retries
 * @param prewarm open and validate a connection when a DataSource is constructed with this configuration
 * @param nestingAllowance connections the target may open beyond {@code maxConnections}, only for threads that
 *     already hold a connection: enough for Flyway and Liquibase (2–3 connections on one thread) to run with
 *     {@code maxConnections=1} without deadlocking, small enough that a leaking thread cannot exhaust the pooler
 * @param processBounds the bounds of the process-wide cache, applied when this configuration's pool is created
 */
public record PoolSettings(boolean reuse, int maxConnections, long acquireTimeoutMillis, long validationWindowMillis,
    long validationTimeoutMillis, long idleTimeoutMillis, long maxLifetimeMillis, long leakDetectionThresholdMillis,
    long connectRetryBudgetMillis, boolean prewarm, int nestingAllowance, ProcessBounds processBounds) {
  /** The default nesting allowance, from the property table. */
  public static final int DEFAULT_NESTING_ALLOWANCE =
      Integer.parseInt(ServerlessPgProperty.NESTING_ALLOWANCE.defaultValue());

  /** Settings without connect retries or warm-up, with the default nesting allowance and process bounds. */
  public PoolSettings(boolean reuse, int maxConnections, long acquireTimeoutMillis, long validationWindowMillis,
      long validationTimeoutMillis, long idleTimeoutMillis, long maxLifetimeMillis,
      long leakDetectionThresholdMillis) {
    this(reuse, maxConnections, acquireTimeoutMillis, validationWindowMillis, validationTimeoutMillis,
        idleTimeoutMillis, maxLifetimeMillis, leakDetectionThresholdMillis, 0, false, DEFAULT_NESTING_ALLOWANCE,
        ProcessBounds.DEFAULT);
  }

  /** Physical connections of the target never exceed this, nested acquisition included. */
  public int hardCap() {
    return (int) Math.min(Integer.MAX_VALUE, (long) maxConnections + nestingAllowance);
  }
}
