package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session state in transaction mode, through a real transaction-mode PgBouncer whose pool is shared by the test's
 * two physical connections: emulated settings apply to every transaction and never leak to another client.
 */
@RealDatabase
class SessionStateTest {
  private final PgBouncerServer pooler;

  SessionStateTest(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    this.pooler = pooler;
  }

  @BeforeAll
  static void createSchemas(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws SQLException {
    try (Connection connection = Targets.connect(Targets.through(pooler, "session-setup", "mode=direct"),
        pooler.credentials()); Statement statement = connection.createStatement()) {
      statement.execute("create schema if not exists billing");
      statement.execute("create table if not exists billing.invoices(id int)");
      statement.execute("insert into billing.invoices select 1 where not exists (select 1 from billing.invoices)");
    }
  }

  private Connection open(String application, String parameters) throws SQLException {
    return Targets.connect(Targets.through(pooler, application, "mode=transaction" + parameters),
        pooler.credentials());
  }

  @Test
  void setSchemaAppliesToAutocommitStatementsAndTransactionsWithoutLeaking() throws SQLException {
    try (Connection connection = open("schema-emulation", "")) {
      connection.setSchema("billing");
      assertThat(connection.getSchema()).isEqualTo("billing");
      assertThat(queryString(connection, "select count(*) from invoices")).isEqualTo("1");
      connection.setAutoCommit(false);
      assertThat(queryString(connection, "select current_schema()")).isEqualTo("billing");
      assertThat(queryString(connection, "select count(*) from invoices")).isEqualTo("1");
      connection.commit();
      assertThat(queryString(connection, "select current_schema()")).isEqualTo("billing");
      connection.rollback();
    }
    // Another client of the same pooler, and the next handle of the same physical connection, see the default.
    try (Connection other = open("schema-emulation-other", "")) {
      assertThat(queryString(other, "select current_schema()")).isEqualTo("public");
    }
    try (Connection next = open("schema-emulation", "")) {
      assertThat(queryString(next, "select current_schema()")).isEqualTo("public");
    }
  }

  @Test
  void currentSchemaInTheUrlIsEmulatedInsteadOfSentAtStartup() throws SQLException {
    try (Connection connection = open("current-schema", "&currentSchema=billing")) {
      assertThat(queryString(connection, "select count(*) from invoices")).isEqualTo("1");
      assertThat(connection.getSchema()).isEqualTo("billing");
    }
  }

  @Test
  void isolationAppliesPerTransactionAndNeverLeaks() throws SQLException {
    try (Connection connection = open("isolation", "")) {
      connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      connection.setAutoCommit(false);
      assertThat(queryString(connection, "show transaction_isolation")).isEqualTo("serializable");
      connection.commit();
      assertThat(queryString(connection, "show transaction_isolation")).isEqualTo("serializable");
      connection.commit();
      assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
    }
    try (Connection other = open("isolation-other", "")) {
      other.setAutoCommit(false);
      assertThat(queryString(other, "show transaction_isolation")).isEqualTo("read committed");
      other.rollback();
    }
  }

  @Test
  void readOnlyAppliesPerTransaction() throws SQLException {
    try (Connection connection = open("read-only", "")) {
      connection.setReadOnly(true);
      connection.setAutoCommit(false);
      assertThat(queryString(connection, "show transaction_read_only")).isEqualTo("on");
      connection.rollback();
    }
    try (Connection other = open("read-only-other", "")) {
      other.setAutoCommit(false);
      assertThat(queryString(other, "show transaction_read_only")).isEqualTo("off");
      other.rollback();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "set work_mem = '8MB'",
      "reset all",
      "listen orders",
      "prepare plan1 as select 1",
      "select pg_advisory_lock(42)",
      "create temp table scratch(id int)",
      "select set_config('work_mem', '8MB', false)",
      "load 'auto_explain'"})
  void sessionStateErrorPolicyRefusesWithSqlState0A000(String sql) throws SQLException {
    try (Connection connection = open("session-error", "&sessionState=error");
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute(sql))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Transaction mode cannot keep session state")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
      // Nothing was sent: the connection is healthy and still usable.
      assertThat(queryString(connection, "select 1")).isEqualTo("1");
    }
  }

  @Test
  void everyEntryOfABatchIsCheckedWhenAdded() throws SQLException {
    try (Connection connection = open("session-error-batch", "&sessionState=error");
        Statement statement = connection.createStatement()) {
      statement.addBatch("select 1");
      assertThatThrownBy(() -> statement.addBatch("listen orders"))
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
    }
  }

  @Test
  void transactionScopedEquivalentsAreAllowedUnderTheErrorPolicy() throws SQLException {
    try (Connection connection = open("session-error-ok", "&sessionState=error")) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("set local work_mem = '8MB'");
        statement.execute("select pg_advisory_xact_lock(42)");
        statement.execute("create temp table scratch_ok(id int) on commit drop");
        statement.execute("select set_config('work_mem', '4MB', true)");
      }
      connection.commit();
    }
  }

  @Test
  void rawSetIsEmulatedPerTransactionAndNeverReachesAnotherClient() throws SQLException {
    try (Connection connection = open("raw-set", "");
        Statement statement = connection.createStatement()) {
      statement.execute("set work_mem = '8MB'");
      assertThat(queryString(connection, "show work_mem")).isEqualTo("8MB");
      assertThat(queryString(connection, "show work_mem")).as("and in every later transaction").isEqualTo("8MB");
      try (Connection other = open("raw-set-other", "")) {
        assertThat(queryString(other, "show work_mem")).isEqualTo("4MB");
      }
      statement.execute("reset work_mem");
      assertThat(queryString(connection, "show work_mem")).isEqualTo("4MB");
    }
    try (Connection next = open("raw-set", "")) {
      assertThat(queryString(next, "show work_mem")).as("the next handle starts clean").isEqualTo("4MB");
    }
  }

  /** Flyway restores its schema with exactly this statement; in transaction mode it must not leak. */
  @Test
  void sessionSetConfigWithABoundValueIsEmulatedToo() throws SQLException {
    try (Connection connection = open("set-config", "")) {
      try (java.sql.PreparedStatement setConfig =
          connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
        setConfig.setString(1, "billing");
        setConfig.execute();
      }
      assertThat(queryString(connection, "select count(*) from invoices")).isEqualTo("1");
      assertThat(connection.getSchema()).isEqualTo("billing");
      try (Connection other = open("set-config-other", "")) {
        assertThat(queryString(other, "select current_schema()")).isEqualTo("public");
      }
    }
  }

  @Test
  void aSetInsideARolledBackTransactionIsUndoneAsInPostgreSql() throws SQLException {
    try (Connection connection = open("raw-set-rollback", "");
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("set work_mem = '8MB'");
      assertThat(queryString(connection, "show work_mem")).isEqualTo("8MB");
      connection.rollback();
      assertThat(queryString(connection, "show work_mem")).isEqualTo("4MB");
      statement.execute("set work_mem = '16MB'");
      connection.commit();
      assertThat(queryString(connection, "show work_mem")).isEqualTo("16MB");
      connection.rollback();
    }
  }

  private static String queryString(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
