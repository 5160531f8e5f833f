package io.github.serverlesspg.physical;

import io.github.serverlesspg.config.Secrets;
import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.spi.ConnectionMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens physical connections with pgjdbc's driver class directly, never through {@code DriverManager}, so that the
 * result does not depend on driver registration order and the plan's URL reaches pgjdbc exactly.
 */
public final class PgjdbcConnector implements Connector {
  private static final org.postgresql.Driver PGJDBC = new org.postgresql.Driver();

  private final String url;
  private final Properties properties;
  private final String sessionSchema;

  public PgjdbcConnector(ConnectionPlan plan) {
    this(plan, java.util.Map.of());
  }

  /**
   * @param extraProperties pgjdbc properties added to the plan's for opening only (telemetry's timing socket
   *     factories); they do not change which connections are interchangeable
   */
  public PgjdbcConnector(ConnectionPlan plan, java.util.Map<String, String> extraProperties) {
    this.url = plan.pgjdbcUrl();
    this.properties = plan.pgjdbcProperties();
    this.properties.putAll(extraProperties);
    // In session mode the schema cannot go in the startup packet (poolers reject search_path there) but may be
    // set once per physical connection, because the session is this connection's own.
    this.sessionSchema = plan.mode() == ConnectionMode.SESSION ? plan.initialSchema() : null;
  }

  @Override
  public Connection open() throws SQLException {
    Connection connection;
    try {
      connection = PGJDBC.connect(url, properties);
    } catch (SQLException e) {
      throw redacted(e);
    }
    if (connection == null) {
      throw SqlStates.unableToConnect("pgjdbc did not accept the URL " + url);
    }
    if (sessionSchema != null) {
      try {
        connection.setSchema(sessionSchema);
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
    }
    return connection;
  }

  /** pgjdbc's messages do not quote passwords today; this keeps it so if a future version did. */
  private SQLException redacted(SQLException e) {
    String password = properties.getProperty("password");
    String message = e.getMessage();
    if (password == null || password.isEmpty() || message == null || !message.contains(password)) {
      return e;
    }
    SQLException copy = new SQLException(Secrets.redact(message, password), e.getSQLState(), e.getErrorCode());
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }
}
