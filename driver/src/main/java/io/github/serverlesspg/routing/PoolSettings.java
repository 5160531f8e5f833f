package io.github.serverlesspg.routing;

/**
 * How physical connections for one target are kept: the limits and timers of the process-wide cache.
 *
 * @param reuse keep physical connections across logical connections
 * @param maxConnections physical connections held for the target at most (nested acquisitions aside)
 * @param acquireTimeoutMillis how long a caller waits for a physical connection
 * @param validationWindowMillis idle time after which a connection is validated before it is handed out
 * @param validationTimeoutMillis upper bound of one validation
 * @param idleTimeoutMillis idle time after which a connection is closed, 0 for never
 * @param maxLifetimeMillis age after which a connection is retired, 0 for never
 * @param leakDetectionThresholdMillis open time after which a logical connection is reported as leaked, 0 for off
 */
public record PoolSettings(boolean reuse, int maxConnections, long acquireTimeoutMillis, long validationWindowMillis,
    long validationTimeoutMillis, long idleTimeoutMillis, long maxLifetimeMillis, long leakDetectionThresholdMillis) {
}
