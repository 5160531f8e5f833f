package io.github.serverlesspg.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** A running PostgreSQL server reachable on 127.0.0.1, with a superuser and a test database. */
public final class PostgresServer {

  private static final String CLIENT_BACKENDS = "FROM pg_stat_activity WHERE backend_type = 'client backend'"
      + " AND pid <> pg_backend_pid() AND (?::text IS NULL OR application_name = ?::text)";

  private final String host;
  private final int port;
  private final Credentials credentials;
  private final boolean tls;
  private final ServerControl control;
  private final String description;

  PostgresServer(String host, int port, Credentials credentials, boolean tls, ServerControl control) {
    this.host = host;
    this.port = port;
    this.credentials = credentials;
    this.tls = tls;
    this.control = control;
    this.description = control.toString();
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** A superuser. */
  public String user() {
    return credentials.user();
  }

  public String password() {
    return credentials.password();
  }

  /** The test database, owned by {@link #user()}. */
  public String database() {
    return credentials.database();
  }

  /** Whether the server accepts TLS ({@code sslmode=require}); false only when openssl was missing. */
  public boolean tlsEnabled() {
    return tls;
  }

  /** Plain pgjdbc URL of {@link #database()}, without credentials (pass {@link #user()}/{@link #password()}). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database();
  }

  /** user and password as pgjdbc connection properties. */
  public Properties credentials() {
    Properties properties = new Properties();
    properties.setProperty("user", user());
    properties.setProperty("password", password());
    return properties;
  }

  /** A plain pgjdbc connection straight to PostgreSQL, bypassing any pooler. */
  public Connection openAdminConnection() throws SQLException {
    return DriverManager.getConnection(jdbcUrl() + "?ApplicationName=spg-fixture-admin", credentials());
  }

  /**
   * Terminates every client backend except the admin connection used for it, optionally only those with the
   * given application_name, and waits until they are gone, so the caller's next statement on such a
   * connection deterministically fails.
   *
   * @return how many backends were terminated
   */
  public int terminateBackends(String applicationNameOrNull) throws SQLException {
    try (Connection admin = openAdminConnection()) {
      List<Integer> pids = new ArrayList<>();
      try (PreparedStatement terminate = admin.prepareStatement(
          "SELECT pid FROM (SELECT pid, pg_terminate_backend(pid) AS terminated " + CLIENT_BACKENDS
              + ") t WHERE terminated")) {
        bindApplicationName(terminate, applicationNameOrNull);
        try (ResultSet rs = terminate.executeQuery()) {
          while (rs.next()) {
            pids.add(rs.getInt(1));
          }
        }
      }
      try (PreparedStatement alive = admin.prepareStatement(
          "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY (?)")) {
        alive.setArray(1, admin.createArrayOf("int4", pids.toArray()));
        Waits.until(Duration.ofSeconds(10), () -> count(alive) == 0,
            () -> "terminated backends " + pids + " did not exit");
      }
      return pids.size();
    }
  }

  /** Client backends other than the admin connection used for counting, optionally by application_name. */
  public int countBackends(String applicationNameOrNull) throws SQLException {
    try (Connection admin = openAdminConnection();
        PreparedStatement count = admin.prepareStatement("SELECT count(*) " + CLIENT_BACKENDS)) {
      bindApplicationName(count, applicationNameOrNull);
      return count(count);
    }
  }

  /** Starts the server again after {@link #stop()}, on the same port. */
  public void start() {
    control.start();
  }

  /** Fast shutdown: open connections are terminated. */
  public void stop() {
    control.stop();
  }

  public void restart() {
    control.stop();
    control.start();
  }

  void destroy() {
    control.destroy();
  }

  private static void bindApplicationName(PreparedStatement statement, String applicationName)
      throws SQLException {
    statement.setString(1, applicationName);
    statement.setString(2, applicationName);
  }

  private static int count(PreparedStatement statement) {
    try (ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count backends", e);
    }
  }

  @Override
  public String toString() {
    return "PostgresServer{" + host + ":" + port + "/" + database() + ", user=" + user() + ", tls=" + tls + ", "
        + description + "}";
  }
}
