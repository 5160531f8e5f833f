package io.github.serverlesspg.telemetry;

import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PostgresServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The shared fixture's PostgreSQL (TLS on, SCRAM authentication) as the telemetry tests address it. */
final class TelemetryDatabase {
  private final PostgresServer postgres;

  private TelemetryDatabase(PostgresServer postgres) {
    this.postgres = postgres;
  }

  static TelemetryDatabase shared() {
    return new TelemetryDatabase(DatabaseEnvironment.shared().postgres());
  }

  String host() {
    return postgres.host();
  }

  int port() {
    return postgres.port();
  }

  String database() {
    return postgres.database();
  }

  /** A direct-mode URL with the fixture's credentials and extra URL parameters, e.g. {@code sslmode=require}. */
  String url(String parameters) {
    return urlWithoutCredentials("user=" + postgres.user() + "&password="
        + URLEncoder.encode(postgres.password(), StandardCharsets.UTF_8) + (parameters.isEmpty() ? "" : "&" + parameters));
  }

  /** A direct-mode URL without credentials: the caller passes them as {@code Properties}. */
  String urlWithoutCredentials(String parameters) {
    return "jdbc:serverless-pg://" + postgres.host() + ":" + postgres.port() + "/" + postgres.database()
        + "?mode=direct" + (parameters.isEmpty() ? "" : "&" + parameters);
  }

  /** Terminates the backends of {@code applicationName}, waiting until they are gone; returns how many. */
  int terminate(String applicationName) throws SQLException {
    return postgres.terminateBackends(applicationName);
  }

  /** Creates {@code role} if needed and gives it {@code password}, so a test can log in with a secret of its own. */
  void setPassword(String role, String password) throws SQLException {
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("do $$ begin create role " + role + " login; exception when duplicate_object then null; "
          + "end $$");
      statement.execute("alter role " + role + " password '" + password.replace("'", "''") + "'");
    }
  }
}
