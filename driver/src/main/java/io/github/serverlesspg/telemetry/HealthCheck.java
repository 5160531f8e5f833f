package io.github.serverlesspg.telemetry;

import io.github.serverlesspg.physical.PoolStats;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.spi.Endpoint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Builds a {@link HealthSnapshot}: a live {@code SELECT 1} through the driver (its own connection is borrowed from the
 * pool like any other, so a broken pool shows), then the pool's counters and the statement statistics.
 */
public final class HealthCheck {
  /** How long the round trip may take before the database counts as unhealthy. */
  private static final int QUERY_TIMEOUT_SECONDS = 2;

  /** Opens a connection for the check; the driver passes one that is not traced, so probes do not skew statistics. */
  @FunctionalInterface
  public interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private HealthCheck() {
  }

  public static HealthSnapshot check(ConnectionPlan plan, String target, PoolDirectory directory,
      ConnectionSource source) {
    long latency = -1;
    String error = null;
    long start = System.nanoTime();
    try (Connection connection = source.open(); Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      start = System.nanoTime();
      try (ResultSet result = statement.executeQuery("SELECT 1")) {
        result.next();
      }
      latency = (System.nanoTime() - start) / 1_000_000;
    } catch (SQLException e) {
      // The SQLSTATE first, then the driver's message (endpoint, mode, hint), as the application would see it.
      error = (e.getSQLState() != null ? e.getSQLState() : e.getClass().getName())
          + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (RuntimeException e) {
      error = e.getClass().getName();
    }
    PoolStats pool = directory.stats(target);
    HealthSnapshot.Status database = error == null ? HealthSnapshot.Status.HEALTHY : HealthSnapshot.Status.UNHEALTHY;
    HealthSnapshot.Status poolStatus = pool.waiting() > 0 || (pool.limit() > 0 && pool.active() >= pool.limit())
        ? HealthSnapshot.Status.DEGRADED : HealthSnapshot.Status.HEALTHY;
    Endpoint endpoint = plan.primaryEndpoint();
    return new HealthSnapshot(database.worst(poolStatus), target, database, latency, error,
        plan.mode().name().toLowerCase(Locale.ROOT), endpoint.toString(), endpoint.port(), pool, poolStatus,
        Telemetry.queryStats(target));
  }
}
