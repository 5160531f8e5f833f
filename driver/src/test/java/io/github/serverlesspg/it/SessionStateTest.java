package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
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

  /** pgjdbc's describe of an unexecuted statement must leave no named statement on a pooled server connection. */
  @Test
  void describingUnexecutedStatementsLeavesNothingOnTheServer() throws SQLException {
    for (int client = 0; client < 6; client++) {
      try (Connection connection = open("describe-only-" + client, "");
          PreparedStatement statement = connection.prepareStatement("select ?::int + " + client)) {
        assertThat(statement.getParameterMetaData().getParameterCount()).isEqualTo(1);
        assertThat(statement.getMetaData().getColumnCount()).isEqualTo(1);
      }
    }
  }

  /**
   * pgjdbc describes a prepared statement that has not run yet with a query of its own: it must see the handle's
   * schema as the statement would, in autocommit and with autocommit off, as plain pgjdbc with currentSchema does.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void metadataOfAnUnexecutedStatementSeesTheEmulatedSchema(boolean autoCommit) throws SQLException {
    try (Connection connection = open("describe-" + autoCommit, "")) {
      connection.setSchema("billing");
      connection.setAutoCommit(autoCommit);
      try (PreparedStatement statement = connection.prepareStatement("select id from invoices where id = ?")) {
        assertThat(statement.getMetaData().getColumnCount()).isEqualTo(1);
        assertThat(statement.getMetaData().getColumnLabel(1)).isEqualTo("id");
        assertThat(statement.getParameterMetaData().getParameterCount()).isEqualTo(1);
        assertThat(statement.getParameterMetaData().getParameterTypeName(1)).isEqualTo("int4");
        statement.setInt(1, 1);
        try (ResultSet result = statement.executeQuery()) {
          assertThat(result.next()).isTrue();
        }
      }
      if (!autoCommit) {
        connection.commit();
      }
    }
    try (Connection next = open("describe-" + autoCommit, "")) {
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

  /** The default refuses what it cannot emulate, before anything reaches the pooler. */
  @ParameterizedTest
  @ValueSource(strings = {
      "listen orders",
      "unlisten orders",
      "prepare plan1 as select 1",
      "select pg_advisory_lock(42)",
      "select pg_try_advisory_lock(42)",
      "create temp table scratch(id int)",
      "create temporary table scratch(id int)",
      "load 'auto_explain'",
      "set session authorization default",
      "set session characteristics as transaction isolation level serializable",
      "set search_path = billing; select 1",
      "select 1; set work_mem = '8MB'",
      "select set_config('work_mem', '8MB', false), 1",
      "select set_config('work_mem', '8MB', ?)",
      "declare c cursor with hold for select 1"})
  void theDefaultRefusesSessionStateItCannotEmulateWithSqlState0A000(String sql) throws SQLException {
    for (String policy : new String[] {"", "&sessionState=error"}) {
      try (Connection connection = open("session-error", policy);
          Statement statement = connection.createStatement()) {
        assertThatThrownBy(() -> statement.execute(sql))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("Transaction mode cannot keep session state")
            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
        // Nothing was sent: the connection is healthy and still usable.
        assertThat(queryString(connection, "select 1")).isEqualTo("1");
      }
    }
  }

  /** Settings that are statements of their own are emulated under the default, quoted names and bound values too. */
  @ParameterizedTest
  @ValueSource(strings = {
      "set search_path = billing",
      "set \"search_path\" = billing",
      "SET SESSION search_path TO 'billing'",
      "select set_config('search_path', 'billing', false)",
      "select set_config('search_path', ?, false)"})
  void theDefaultEmulatesSettingChanges(String sql) throws SQLException {
    try (Connection connection = open("session-emulated", "")) {
      try (java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
        if (sql.contains("?")) {
          statement.setString(1, "billing");
        }
        statement.execute();
      }
      assertThat(queryString(connection, "select current_schema()")).isEqualTo("billing");
      assertThat(queryString(connection, "select count(*) from invoices")).isEqualTo("1");
      try (Connection other = open("session-emulated-other", "")) {
        assertThat(queryString(other, "select current_schema()")).isEqualTo("public");
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("reset all");
      }
      assertThat(queryString(connection, "select current_schema()")).isEqualTo("public");
    }
  }

  /**
   * RESET ALL forgets the handle's settings in the transaction it runs in and sends nothing session-level; like
   * PostgreSQL, which resets to the startup packet's values, it keeps the URL's currentSchema.
   */
  @Test
  void resetAllForgetsTheHandlesSettings() throws SQLException {
    try (Connection connection = open("session-reset-all", "&currentSchema=billing");
        Statement statement = connection.createStatement()) {
      statement.execute("set work_mem = '8MB'");
      statement.execute("set search_path = public");
      connection.setAutoCommit(false);
      assertThat(queryString(connection, "show work_mem")).isEqualTo("8MB");
      assertThat(queryString(connection, "select current_schema()")).isEqualTo("public");
      statement.execute("reset all");
      assertThat(queryString(connection, "show work_mem")).isEqualTo("4MB");
      assertThat(queryString(connection, "select current_schema()")).isEqualTo("billing");
      connection.commit();
      assertThat(queryString(connection, "show work_mem")).isEqualTo("4MB");
      assertThat(queryString(connection, "select current_schema()")).isEqualTo("billing");
      connection.commit();
      try (Connection other = open("session-reset-all-other", "")) {
        assertThat(queryString(other, "show work_mem")).isEqualTo("4MB");
      }
    }
  }

  /** DISCARD ALL runs (it cannot run in a transaction block) and resets the handle's settings as it resets a session's. */
  @Test
  void discardAllResetsTheHandlesSettings() throws SQLException {
    try (Connection connection = open("session-discard", "&currentSchema=billing");
        Statement statement = connection.createStatement()) {
      statement.execute("set work_mem = '8MB'");
      statement.execute("set search_path = public");
      statement.execute("discard all");
      assertThat(queryString(connection, "show work_mem")).isEqualTo("4MB");
      assertThat(queryString(connection, "select current_schema()")).isEqualTo("billing");
    }
  }

  /** The explicit opt-in: sessionState=warn runs what it cannot emulate, and says so once per statement shape. */
  @Test
  void warnRunsWhatItCannotEmulateAndLogsNoLiteral() throws Exception {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try (Connection connection = open("session-warn", "&sessionState=warn");
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("SET app.api_key = 'sk_live_4242'; SELECT 1");
      statement.execute("SET app.other_key TO sk_live_unquoted_4242; SELECT 2");
      assertThat(queryString(connection, "show app.api_key")).isEqualTo("sk_live_4242");
      connection.rollback();
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(log).contains("WARN").contains("SET app.api_key = ?").contains("SET app.other_key TO ?")
        .doesNotContain("sk_live");
  }

  @Test
  void everyEntryOfABatchIsCheckedWhenAdded() throws SQLException {
    try (Connection connection = open("session-error-batch", "");
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
