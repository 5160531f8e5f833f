package io.github.serverlesspg.telemetry;

import io.github.serverlesspg.physical.PoolStats;
import io.github.serverlesspg.util.JsonText;
import java.util.Locale;

/**
 * The health of one target at one moment, shaped like the {@code /api/health} document of the seed: overall status,
 * a live database round trip, the pool's counters and the statement latencies measured in-process. Immutable;
 * {@link #toJson()} renders it.
 *
 * @param status the worst of the database and pool statuses
 * @param target {@code host:port/database} of the routed endpoint; never credentials
 * @param databaseStatus unhealthy when the round trip failed
 * @param databaseLatencyMillis the {@code SELECT 1} round trip, or -1 when it failed
 * @param databaseError the SQLSTATE (or exception class) of a failed round trip followed by {@code ": "} and its
 *     message (for a failed connect: endpoint, mode and hint; never a password), or null
 * @param mode the connection mode: transaction, session or direct
 * @param endpoint the pooler or server endpoint connections go to, {@code host:port}
 * @param port the port of {@link #endpoint}
 * @param pool the summed counters of the target's pools
 * @param poolStatus degraded when callers wait or every connection is in use
 * @param queries statement counts and latencies in milliseconds
 */
public record HealthSnapshot(Status status, String target, Status databaseStatus, long databaseLatencyMillis,
    String databaseError, String mode, String endpoint, int port, PoolStats pool, Status poolStatus,
    QueryStats.Snapshot queries) {

  /** Health levels, rendered in lower case. */
  public enum Status {
    /** Everything answered in time. */
    HEALTHY,
    /** Working, but every connection of the pool is in use or callers wait for one. */
    DEGRADED,
    /** The database did not answer the check query. */
    UNHEALTHY;

    Status worst(Status other) {
      return other.ordinal() > ordinal() ? other : this;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Statements this process ran against the target. */
  public long totalQueries() {
    return queries.totalQueries();
  }

  /** Of {@link #totalQueries()}, those that ended in an error. */
  public long failedQueries() {
    return queries.failedQueries();
  }

  /** The document as JSON, two-space indented, fields in a fixed order. */
  public String toJson() {
    StringBuilder json = new StringBuilder(640);
    json.append("{\n");
    field(json, 1, "status", status.toString()).append(",\n");
    field(json, 1, "target", target).append(",\n");
    indent(json, 1).append("\"checks\": {\n");
    indent(json, 2).append("\"database\": {\n");
    field(json, 3, "status", databaseStatus.toString()).append(",\n");
    indent(json, 3).append("\"latency\": ").append(databaseLatencyMillis);
    if (databaseError != null) {
      json.append(",\n");
      field(json, 3, "error", databaseError);
    }
    json.append('\n');
    indent(json, 2).append("},\n");
    indent(json, 2).append("\"connectionPool\": {\n");
    field(json, 3, "status", poolStatus.toString()).append(",\n");
    field(json, 3, "mode", mode).append(",\n");
    field(json, 3, "endpoint", endpoint).append(",\n");
    indent(json, 3).append("\"port\": ").append(port).append(",\n");
    indent(json, 3).append("\"connections\": {\n");
    indent(json, 4).append("\"active\": ").append(pool.active()).append(",\n");
    indent(json, 4).append("\"idle\": ").append(pool.idle()).append(",\n");
    indent(json, 4).append("\"total\": ").append(pool.total()).append(",\n");
    indent(json, 4).append("\"waiting\": ").append(pool.waiting()).append(",\n");
    indent(json, 4).append("\"limit\": ").append(pool.limit()).append('\n');
    indent(json, 3).append("},\n");
    indent(json, 3).append("\"utilization\": ").append(pool.utilizationPercent()).append('\n');
    indent(json, 2).append("}\n");
    indent(json, 1).append("},\n");
    indent(json, 1).append("\"queries\": {\n");
    indent(json, 2).append("\"totalQueries\": ").append(queries.totalQueries()).append(",\n");
    indent(json, 2).append("\"failedQueries\": ").append(queries.failedQueries()).append(",\n");
    indent(json, 2).append("\"avgLatency\": ").append(millis(queries.avgLatencyMillis())).append(",\n");
    indent(json, 2).append("\"p95Latency\": ").append(millis(queries.p95LatencyMillis())).append(",\n");
    indent(json, 2).append("\"p99Latency\": ").append(millis(queries.p99LatencyMillis())).append('\n');
    indent(json, 1).append("}\n");
    return json.append("}\n").toString();
  }

  /** Milliseconds to three decimals (microseconds), without exponent notation. */
  private static String millis(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static StringBuilder indent(StringBuilder json, int level) {
    return json.append("  ".repeat(level));
  }

  private static StringBuilder field(StringBuilder json, int level, String name, String value) {
    indent(json, level).append('"').append(name).append("\": ");
    if (value == null) {
      return json.append("null");
    }
    return JsonText.appendString(json, value);
  }
}
