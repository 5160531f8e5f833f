package io.github.serverlesspg.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@RealDatabase
class DatabaseEnvironmentTest {

  @Test
  void postgresAnswersDirectlyAsSuperuserInTheTestDatabase(PostgresServer postgres) throws SQLException {
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.credentials())) {
      assertThat(queryString(connection, "SELECT current_user || '@' || current_database()"))
          .isEqualTo(postgres.user() + "@" + postgres.database());
      assertThat(queryString(connection, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"))
          .isEqualTo("true");
      assertThat(queryString(connection, "SHOW max_connections"))
          .isEqualTo(String.valueOf(DatabaseEnvironment.DEFAULT_MAX_CONNECTIONS));
      assertThat(queryString(connection, "SHOW password_encryption")).isEqualTo("scram-sha-256");
    }
  }

  @Test
  void bothPoolersForwardQueries(DatabaseEnvironment environment) throws SQLException {
    for (PoolMode mode : PoolMode.values()) {
      PgBouncerServer pooler = environment.pooler(mode);
      assertThat(pooler.poolMode()).isEqualTo(mode);
      try (Connection connection = connect(pooler.jdbcUrl() + "?prepareThreshold=0", pooler.credentials())) {
        assertThat(queryString(connection, "SELECT current_database()")).isEqualTo(pooler.database());
      }
    }
    assertThat(environment.transactionPooler().port()).isNotEqualTo(environment.sessionPooler().port());
  }

  @Test
  void adminConsoleShowsServerConnectionHeldForSessionClient(@Pooler(PoolMode.SESSION) PgBouncerServer pooler)
      throws SQLException {
    try (Connection connection = connect(pooler.jdbcUrl(), pooler.credentials())) {
      queryString(connection, "SELECT 1");

      assertThat(pooler.serverConnectionCount(pooler.database())).isPositive();
      assertThat(pooler.clientConnectionCount(pooler.database())).isPositive();
      assertThat(pooler.admin().servers()).anySatisfy(server -> {
        assertThat(server).containsEntry("database", pooler.database());
        assertThat(server).containsEntry("state", "active");
      });
      assertThat(pooler.admin().clients()).extracting(client -> client.get("database"))
          .contains(pooler.database());
    }
  }

  @Test
  void adminConsoleShowsServerConnectionKeptAfterTransaction(
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws SQLException {
    try (Connection connection = connect(pooler.jdbcUrl() + "?prepareThreshold=0", pooler.credentials())) {
      queryString(connection, "SELECT 1");
    }

    List<Map<String, String>> pools = pooler.admin().pools();
    assertThat(pools).anySatisfy(pool -> {
      assertThat(pool).containsEntry("database", pooler.database()).containsEntry("pool_mode", "transaction");
      assertThat(Integer.parseInt(pool.get("sv_idle")) + Integer.parseInt(pool.get("sv_used"))).isPositive();
    });
    assertThat(pooler.serverConnectionCount(pooler.database())).isPositive();
  }

  @Test
  void terminateBackendsKillsTheMatchingConnection(PostgresServer postgres) throws SQLException {
    String applicationName = "victim-" + UUID.randomUUID();
    try (Connection victim = connect(postgres.jdbcUrl() + "?ApplicationName=" + applicationName,
        postgres.credentials());
        Connection bystander = connect(postgres.jdbcUrl(), postgres.credentials())) {
      queryString(victim, "SELECT 1");
      assertThat(postgres.countBackends(applicationName)).isEqualTo(1);

      assertThat(postgres.terminateBackends(applicationName)).isEqualTo(1);

      SQLException failure = catchThrowableOfType(SQLException.class, () -> queryString(victim, "SELECT 1"));
      assertThat(failure.getSQLState()).matches("57P01|08...");
      assertThat(postgres.countBackends(applicationName)).isZero();
      assertThat(queryString(bystander, "SELECT 'alive'")).isEqualTo("alive");
    }
  }

  @Test
  void killDropsPooledConnectionsAndResumesTheDatabase(@Pooler(PoolMode.SESSION) PgBouncerServer pooler)
      throws SQLException {
    try (Connection connection = connect(pooler.jdbcUrl(), pooler.credentials())) {
      queryString(connection, "SELECT 1");

      pooler.kill(pooler.database());

      assertThatThrownBy(() -> queryString(connection, "SELECT 1")).isInstanceOf(SQLException.class);
    }
    try (Connection connection = connect(pooler.jdbcUrl(), pooler.credentials())) {
      assertThat(queryString(connection, "SELECT 'resumed'")).isEqualTo("resumed");
    }
  }

  @Test
  void reconnectReplacesServerConnections(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    try (Connection connection = connect(pooler.jdbcUrl() + "?prepareThreshold=0", pooler.credentials())) {
      String before = queryString(connection, "SELECT pg_backend_pid()::text");

      pooler.reconnect();

      // the idle server connection is closed on RECONNECT, so the next transaction gets a new backend
      assertThat(queryString(connection, "SELECT pg_backend_pid()::text")).isNotEqualTo(before);
    }
  }

  @Test
  void restartKeepsThePortAndAcceptsNewConnections(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    int port = pooler.port();
    try (Connection old = connect(pooler.jdbcUrl() + "?prepareThreshold=0", pooler.credentials())) {
      queryString(old, "SELECT 1");

      pooler.restart();

      assertThat(pooler.port()).isEqualTo(port);
      assertThatThrownBy(() -> queryString(old, "SELECT 1")).isInstanceOf(SQLException.class);
    }
    try (Connection connection = connect(pooler.jdbcUrl() + "?prepareThreshold=0", pooler.credentials())) {
      assertThat(queryString(connection, "SELECT 'restarted'")).isEqualTo("restarted");
    }
  }

  @Test
  void postgresAcceptsTlsWhenOpensslIsAvailable(PostgresServer postgres) throws SQLException {
    if (ServerBinaries.detect().openssl().isPresent()) {
      assertThat(postgres.tlsEnabled()).isTrue();
    }
    if (postgres.tlsEnabled()) {
      try (Connection connection = connect(postgres.jdbcUrl() + "?sslmode=require", postgres.credentials())) {
        assertThat(queryString(connection, "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
            .isEqualTo("true");
      }
    }
  }

  @Test
  void dedicatedEnvironmentAppliesItsSettingsAndStopsOnClose() throws SQLException {
    PgBouncerServer pooler;
    try (DatabaseEnvironment dedicated = DatabaseEnvironment.builder().maxConnections(12).defaultPoolSize(2)
        .build()) {
      pooler = dedicated.transactionPooler();
      try (Connection connection = connect(dedicated.postgres().jdbcUrl(), dedicated.postgres().credentials())) {
        assertThat(queryString(connection, "SHOW max_connections")).isEqualTo("12");
      }
      assertThat(pooler.admin().show("CONFIG")).anySatisfy(setting ->
          assertThat(setting).containsEntry("key", "default_pool_size").containsEntry("value", "2"));
      assertThat(dedicated.logDirectory().resolve("postgres.log")).exists();
    }
    assertThat(Waits.accepts(pooler.host(), pooler.port())).isFalse();
    assertThat(Waits.accepts(pooler.backend().host(), pooler.backend().port())).isFalse();
  }

  @Test
  void passwordNeverAppearsInDescriptions(DatabaseEnvironment environment) {
    String password = environment.postgres().password();
    assertThat(environment.toString()).doesNotContain(password);
    assertThat(environment.postgres().toString()).doesNotContain(password);
    assertThat(environment.transactionPooler().toString()).doesNotContain(password);
    assertThat(environment.transactionPooler().admin().toString()).doesNotContain(password);
  }

  @Test
  void sharedEnvironmentIsStartedOnceAndCannotBeClosedByTests(DatabaseEnvironment environment) {
    assertThat(DatabaseEnvironment.shared()).isSameAs(environment);
    assertThatThrownBy(environment::close).isInstanceOf(IllegalStateException.class);
  }

  private static Connection connect(String url, Properties credentials) throws SQLException {
    return DriverManager.getConnection(url, credentials);
  }

  private static String queryString(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
