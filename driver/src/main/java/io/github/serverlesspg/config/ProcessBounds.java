package io.github.serverlesspg.config;

import static io.github.serverlesspg.config.ServerlessPgProperty.MAX_IDLE_CONNECTIONS;
import static io.github.serverlesspg.config.ServerlessPgProperty.MAX_POOLS;

import java.sql.SQLException;

/**
 * The bounds of the process-wide connection cache, shared by every configuration of the process and so never set per
 * URL: from the system property ({@code serverlesspg.maxIdleConnections}), else the environment variable
 * ({@code SERVERLESS_PG_MAX_IDLE_CONNECTIONS}), else the default of {@link ServerlessPgProperty}. Read whenever a
 * configuration is planned and applied whenever a pool is created, so a changed system property takes effect with
 * the next new pool.
 *
 * @param maxIdleConnections physical connections kept idle across all targets
 * @param maxPools pools (distinct configurations) kept at once
 */
public record ProcessBounds(int maxIdleConnections, int maxPools) {
  /** The defaults of the property table. */
  public static final ProcessBounds DEFAULT = new ProcessBounds(
      Integer.parseInt(MAX_IDLE_CONNECTIONS.defaultValue()), Integer.parseInt(MAX_POOLS.defaultValue()));

  /**
   * The bounds the system properties and {@code environment} set.
   *
   * @throws SQLException SQLSTATE 22023 naming the system property or variable, the bad value and the allowed range
   */
  public static ProcessBounds read(Environment environment) throws SQLException {
    return new ProcessBounds(value(MAX_IDLE_CONNECTIONS, environment), value(MAX_POOLS, environment));
  }

  private static int value(ServerlessPgProperty property, Environment environment) throws SQLException {
    String fromSystem = System.getProperty(property.systemProperty());
    if (fromSystem != null) {
      return Integer.parseInt(property.validate(fromSystem, "system property '" + property.systemProperty() + "'"));
    }
    String fromEnvironment = environment.get(property.environmentVariable());
    if (fromEnvironment != null) {
      return Integer.parseInt(property.validate(fromEnvironment,
          "environment variable '" + property.environmentVariable() + "'"));
    }
    return Integer.parseInt(property.defaultValue());
  }
}
