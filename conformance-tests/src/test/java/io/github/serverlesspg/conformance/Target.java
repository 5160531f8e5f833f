package io.github.serverlesspg.conformance;

import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PostgresServer;
import java.util.Properties;

/**
 * Where a conformance case connects, as a user would write it: the same {@code jdbc:serverless-pg:} URL shape with
 * the mode for that server. Every URL names its own {@code ApplicationName}, which gives the case its own physical
 * connections in the driver's process-wide cache.
 */
enum Target {
  /** Through the transaction-mode PgBouncer: the serverless deployment this driver exists for. */
  TRANSACTION,
  /** Through the session-mode PgBouncer. */
  SESSION,
  /** Straight to PostgreSQL: local development and migration tools. */
  DIRECT;

  String url(String application) {
    return url(application, "");
  }

  String url(String application, String parameters) {
    DatabaseEnvironment servers = DatabaseEnvironment.shared();
    String hostPortDatabase = switch (this) {
      case TRANSACTION -> address(servers.transactionPooler());
      case SESSION -> address(servers.sessionPooler());
      case DIRECT -> address(servers.postgres());
    };
    // direct connections count against PostgreSQL's max_connections (30): keep each case's share small
    String limit = this == DIRECT ? "&maxConnections=3" : "";
    return "jdbc:serverless-pg://" + hostPortDatabase + "?mode=" + name().toLowerCase() + "&ApplicationName="
        + application + "-" + name().toLowerCase() + limit + (parameters.isEmpty() ? "" : "&" + parameters);
  }

  Properties credentials() {
    DatabaseEnvironment servers = DatabaseEnvironment.shared();
    return switch (this) {
      case TRANSACTION -> servers.transactionPooler().credentials();
      case SESSION -> servers.sessionPooler().credentials();
      case DIRECT -> servers.postgres().credentials();
    };
  }

  String user() {
    return credentials().getProperty("user");
  }

  String password() {
    return credentials().getProperty("password");
  }

  /** Gives a finished case's idle physical connections back, so later cases have room under max_connections. */
  static void releaseIdleConnections() {
    PhysicalConnectionCache.global().closeIdle("conformance case finished");
  }

  private static String address(PgBouncerServer pooler) {
    return pooler.host() + ":" + pooler.port() + "/" + pooler.database();
  }

  private static String address(PostgresServer postgres) {
    return postgres.host() + ":" + postgres.port() + "/" + postgres.database();
  }
}
