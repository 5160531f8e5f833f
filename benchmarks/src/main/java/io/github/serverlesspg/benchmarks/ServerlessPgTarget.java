package io.github.serverlesspg.benchmarks;

import io.github.serverlesspg.ServerlessPgDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * This driver configured for one target and mode, reachable both ways applications use it: the DataSource (plan
 * computed once) and {@code DriverManager} with a URL (plan looked up per call).
 */
final class ServerlessPgTarget {
  private final ServerlessPgDataSource dataSource;
  private final String url;
  private final Properties credentials;

  /**
   * @param address {@code host:port/database}
   * @param mode {@code direct} or {@code transaction}
   */
  ServerlessPgTarget(String address, String mode, Properties credentials) throws SQLException {
    // One physical connection, as HikariCP's maximumPoolSize=1; telemetry off because HikariCP traces nothing
    // (telemetry has its own benchmark).
    this.url = "jdbc:serverless-pg://" + address + "?mode=" + mode + "&maxConnections=1&telemetry=off";
    this.credentials = credentials;
    this.dataSource = new ServerlessPgDataSource(url);
    dataSource.setProperties(credentials);
    // Open the physical connection now, so that the first measured cycle is already warm.
    dataSource.getConnection().close();
  }

  Connection fromDataSource() throws SQLException {
    return dataSource.getConnection();
  }

  Connection fromDriverManager() throws SQLException {
    return DriverManager.getConnection(url, credentials);
  }
}
