package io.github.serverlesspg.it;

import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * URLs of the fixture's servers for this driver. Every test names its own {@code ApplicationName}: it separates the
 * test's physical connections from other tests' in the process-wide cache, and lets the test find its own clients
 * on PgBouncer's admin console.
 */
final class Targets {
  private Targets() {
  }

  static String through(PgBouncerServer pooler, String application, String parameters) {
    return "jdbc:serverless-pg://" + pooler.host() + ":" + pooler.port() + "/" + pooler.database()
        + "?ApplicationName=" + application + (parameters.isEmpty() ? "" : "&" + parameters);
  }

  static String direct(PostgresServer postgres, String application, String parameters) {
    return "jdbc:serverless-pg://" + postgres.host() + ":" + postgres.port() + "/" + postgres.database()
        + "?ApplicationName=" + application + (parameters.isEmpty() ? "" : "&" + parameters);
  }

  static Connection connect(String url, Properties credentials) throws SQLException {
    return DriverManager.getConnection(url, credentials);
  }

  /** Client connections PgBouncer has for this application name (the physical connections of one test). */
  static long clientsOf(PgBouncerServer pooler, String application) throws SQLException {
    List<Map<String, String>> clients = pooler.admin().clients();
    return clients.stream().filter(row -> application.equals(row.get("application_name"))).count();
  }
}
