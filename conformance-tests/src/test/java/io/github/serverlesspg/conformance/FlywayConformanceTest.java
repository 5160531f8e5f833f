package io.github.serverlesspg.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Flyway 11 with {@code flyway-database-postgresql}, in URL mode (resolved by the driver's Flyway database type) and
 * in DataSource mode. The schema comes from {@code currentSchema} in the URL, which the driver applies per
 * transaction, so Flyway finds its schema current and never sets {@code search_path} for the session.
 */
@RealDatabase
final class FlywayConformanceTest {
  private static final String MIGRATIONS = "classpath:db/flyway";
  private static final int VERSIONED_AND_REPEATABLE = 5;

  /**
   * Flyway's session settings are emulated in transaction mode and never reach a pooled server connection; RECONNECT
   * retires the server connections anyway, so that a regression could not leak into later test classes.
   */
  @AfterAll
  static void releaseConnections() {
    Target.releaseIdleConnections();
    DatabaseEnvironment.shared().transactionPooler().reconnect();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void urlModeMigratesOnceAndValidates(Target target) throws SQLException {
    String schema = "flyway_url_" + target.name().toLowerCase();
    String url = target.url("flyway-url", "currentSchema=" + schema);

    assertMigratesOnceAndValidates(Flyway.configure().dataSource(url, target.user(), target.password()), schema);
    assertSeeded(url, target);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void dataSourceModeMigratesOnceAndValidates(Target target) throws SQLException {
    String schema = "flyway_ds_" + target.name().toLowerCase();
    ServerlessPgDataSource dataSource = new ServerlessPgDataSource(
        target.url("flyway-ds", "currentSchema=" + schema));
    dataSource.setUser(target.user());
    dataSource.setPassword(target.password());

    assertMigratesOnceAndValidates(Flyway.configure().dataSource(dataSource), schema);
    assertSeeded(dataSource.getUrl(), target);
  }

  /**
   * Flyway restores its connection with {@code SET ROLE '<the role it already has>'} and
   * {@code set_config('search_path', ?, false)}: session settings, which transaction mode emulates per transaction
   * under the default {@code sessionState=error}, so Flyway migrates without leaving either on the pooler.
   */
  @Test
  void transactionModeWithTheDefaultSessionStateMigrates() throws SQLException {
    String schema = "flyway_strict";
    String url = Target.TRANSACTION.url("flyway-strict", "currentSchema=" + schema + "&sessionState=error");
    assertMigratesOnceAndValidates(
        Flyway.configure().dataSource(url, Target.TRANSACTION.user(), Target.TRANSACTION.password()), schema);
  }

  /** Flyway holds a connection for its lock and history table while another runs the migration. */
  @Test
  void oneConnectionPerProcessDoesNotDeadlock() throws SQLException {
    String schema = "flyway_one_connection";
    String url = Target.TRANSACTION.url("flyway-one-connection",
        "currentSchema=" + schema + "&maxConnections=1&acquireTimeout=5000");

    assertMigratesOnceAndValidates(
        Flyway.configure().dataSource(url, Target.TRANSACTION.user(), Target.TRANSACTION.password()), schema);
  }

  /**
   * The recommended split: the migration tool connects with {@code mode=direct}, the application with
   * {@code mode=transaction} through the pooler. {@code CREATE INDEX CONCURRENTLY} waits for every open transaction,
   * including the one in which Flyway holds its default transaction-scoped advisory lock, so it hangs unless Flyway
   * takes a session advisory lock instead ({@code flyway.postgresql.transactional.lock=false}), which needs a real
   * session: direct (or session) mode.
   */
  @Test
  void migrationsInDirectModeServeTheApplicationInTransactionMode() throws SQLException {
    String schema = "flyway_concurrent";
    Flyway flyway = Flyway.configure()
        .dataSource(Target.DIRECT.url("flyway-direct", "currentSchema=" + schema), Target.DIRECT.user(),
            Target.DIRECT.password())
        .locations("classpath:db/concurrent")
        .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
        .load();

    assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);

    String application = Target.TRANSACTION.url("flyway-app", "currentSchema=" + schema);
    try (Connection connection = DriverManager.getConnection(application, Target.TRANSACTION.credentials());
        Statement statement = connection.createStatement();
        ResultSet index = statement.executeQuery("SELECT i.indisvalid FROM pg_index i "
            + "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'event_kind'")) {
      assertThat(index.next()).as("index event_kind exists").isTrue();
      assertThat(index.getBoolean(1)).as("concurrently built index is valid").isTrue();
      assertThat(count(statement, "SELECT count(*) FROM event WHERE kind = 'kind-3'")).isEqualTo(143);
    }
  }

  private static void assertMigratesOnceAndValidates(FluentConfiguration configuration, String schema) {
    Flyway flyway = configuration.schemas(schema).locations(MIGRATIONS).cleanDisabled(false).load();
    flyway.clean();

    MigrateResult first = flyway.migrate();
    assertThat(first.success).isTrue();
    assertThat(first.migrationsExecuted).isEqualTo(VERSIONED_AND_REPEATABLE);
    assertThat(first.targetSchemaVersion).isEqualTo("3");

    MigrateResult again = flyway.migrate();
    assertThat(again.migrationsExecuted).as("second migrate is a no-op").isZero();
    assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
    assertThat(flyway.info().pending()).isEmpty();
  }

  private static void assertSeeded(String url, Target target) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, target.credentials());
        Statement statement = connection.createStatement()) {
      assertThat(count(statement, "SELECT book_count()")).isEqualTo(2);
      assertThat(count(statement, "SELECT books FROM books_by_author WHERE name = 'Stanisław Lem'")).isEqualTo(1);
    }
  }

  private static long count(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }
}
