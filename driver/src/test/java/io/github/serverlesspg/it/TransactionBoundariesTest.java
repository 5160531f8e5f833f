package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the application sees is what PostgreSQL did: each case runs through plain pgjdbc on a direct connection (the
 * oracle) and through this driver in every mode it applies to, transaction mode behind a real transaction-mode
 * PgBouncer with {@code currentSchema=hs} (so that every statement needs the emulated schema).
 */
@RealDatabase
class TransactionBoundariesTest {
  /** Where a connection goes: plain pgjdbc straight to PostgreSQL, or this driver in one of its modes. */
  enum Way {
    PLAIN_PGJDBC, TRANSACTION, SESSION, DIRECT
  }

  private final PostgresServer postgres;
  private final PgBouncerServer transactionPooler;
  private final PgBouncerServer sessionPooler;

  TransactionBoundariesTest(PostgresServer postgres, @Pooler(PoolMode.TRANSACTION) PgBouncerServer transactionPooler,
      @Pooler(PoolMode.SESSION) PgBouncerServer sessionPooler) {
    this.postgres = postgres;
    this.transactionPooler = transactionPooler;
    this.sessionPooler = sessionPooler;
  }

  @BeforeAll
  static void createSchemas(PostgresServer postgres) throws SQLException {
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("create schema if not exists hs");
      statement.execute("create schema if not exists hs2");
      statement.execute("create table if not exists hs.items(id serial primary key, note text)");
      statement.execute("create table if not exists hs2.items(id serial primary key, note text)");
      statement.execute("create or replace function public.tb_warn() returns int language plpgsql as "
          + "$$BEGIN RAISE WARNING 'in %', current_schema(); RETURN 1; END$$");
      statement.execute("create or replace procedure public.tb_commit_midway(note text) language plpgsql as "
          + "$$BEGIN INSERT INTO hs.items(note) VALUES (note); COMMIT; END$$");
    }
  }

  /**
   * Session-mode clients hold a server connection for as long as they live, and the physical connections stay in the
   * process-wide cache: give them back so later test classes find free server connections.
   */
  @AfterAll
  static void releaseConnections() {
    PhysicalConnectionCache.global().closeAll("test finished");
  }

  /** The application name keeps the test's physical connections apart from other tests'. */
  private Connection open(Way way, String application, String parameters) throws SQLException {
    String query = "?ApplicationName=" + application + (parameters.isEmpty() ? "" : "&" + parameters);
    switch (way) {
      case PLAIN_PGJDBC:
        return DriverManager.getConnection(postgres.jdbcUrl() + query, postgres.credentials());
      case TRANSACTION:
        return Targets.connect(Targets.through(transactionPooler, application, "mode=transaction&" + parameters),
            transactionPooler.credentials());
      case SESSION:
        return Targets.connect(Targets.through(sessionPooler, application, "mode=session&" + parameters),
            sessionPooler.credentials());
      default:
        return Targets.connect(Targets.direct(postgres, application, "mode=direct&" + parameters),
            postgres.credentials());
    }
  }

  private Connection openHs(Way way, String application) throws SQLException {
    return open(way, application, "currentSchema=hs");
  }

  // ---------------------------------------------------------------- transaction control as SQL

  @ParameterizedTest
  @EnumSource(Way.class)
  void beginInsertRollbackAsSqlInAutocommitLeavesNoRow(Way way) throws SQLException {
    String marker = marker("rolled-back");
    try (Connection connection = openHs(way, "tb"); Statement statement = connection.createStatement()) {
      statement.execute("BEGIN");
      assertThat(statement.executeUpdate("insert into items(note) values ('" + marker + "')")).isEqualTo(1);
      statement.execute("ROLLBACK");
      assertThat(count(connection, "hs.items", marker)).isEqualTo("0");
    }
    assertThat(countDirect("hs.items", marker)).isZero();
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void beginInsertCommitAsSqlWritesWhereTheSchemaSays(Way way) throws SQLException {
    String marker = marker("committed");
    try (Connection connection = openHs(way, "tb"); Statement statement = connection.createStatement()) {
      statement.execute("START TRANSACTION");
      assertThat(query(connection, "select current_schema()")).isEqualTo("hs");
      statement.executeUpdate("insert into items(note) values ('" + marker + "')");
      statement.execute("END");
    }
    assertThat(countDirect("hs.items", marker)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void commitAsSqlWithAutocommitOffKeepsTheSchemaForTheNextTransaction(Way way) throws SQLException {
    String marker = marker("commit-sql");
    try (Connection connection = openHs(way, "tb"); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.executeUpdate("insert into items(note) values ('" + marker + "')");
      statement.execute("COMMIT");
      assertThat(query(connection, "select current_schema()")).isEqualTo("hs");
      statement.executeUpdate("insert into items(note) values ('" + marker + "')");
      connection.commit();
    }
    assertThat(countDirect("hs.items", marker)).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void setAutoCommitTrueCommitsASetThatALaterRollbackCannotUndo(Way way) throws SQLException {
    try (Connection connection = openHs(way, "tb");
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("SET search_path = hs2");
      connection.setAutoCommit(true);
      connection.setAutoCommit(false);
      connection.rollback();
      assertThat(query(connection, "select current_schema()")).isEqualTo("hs2");
      connection.rollback();
    }
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void savepointsUndoSettingsLikePostgreSql(Way way) throws SQLException {
    try (Connection connection = openHs(way, "tb"); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("SET work_mem = '8MB'");
      java.sql.Savepoint savepoint = connection.setSavepoint();
      statement.execute("SET work_mem = '16MB'");
      statement.execute("SAVEPOINT sql_savepoint");
      statement.execute("SET search_path = hs2");
      statement.execute("ROLLBACK TO SAVEPOINT sql_savepoint");
      assertThat(query(connection, "select current_schema()")).isEqualTo("hs");
      connection.rollback(savepoint);
      assertThat(query(connection, "show work_mem")).isEqualTo("8MB");
      connection.commit();
      assertThat(query(connection, "show work_mem")).isEqualTo("8MB");
      statement.execute("SET work_mem = '32MB'");
      connection.rollback();
      assertThat(query(connection, "show work_mem")).isEqualTo("8MB");
      connection.rollback();
    }
  }

  /**
   * A handle without currentSchema keeps no transaction-mode settings until it is given one: a savepoint set and
   * statements run before the first setting still bound what a rollback undoes, as in pgjdbc.
   */
  @ParameterizedTest
  @EnumSource(Way.class)
  void aSettingAfterOrdinaryWorkAndASavepointIsUndoneByRollingBackToIt(Way way) throws SQLException {
    try (Connection connection = open(way, "tb-late", "")) {
      connection.setAutoCommit(false);
      assertThat(query(connection, "select current_schema()")).isEqualTo("public");
      java.sql.Savepoint savepoint = connection.setSavepoint();
      connection.setSchema("hs2");
      assertThat(query(connection, "select current_schema()")).isEqualTo("hs2");
      connection.rollback(savepoint);
      assertThat(query(connection, "select current_schema()")).isEqualTo("public");
      connection.setSchema("hs");
      connection.commit();
      assertThat(query(connection, "select current_schema()")).isEqualTo("hs");
      connection.setSchema("hs2");
      connection.rollback();
      assertThat(query(connection, "select current_schema()")).isEqualTo("hs");
      connection.rollback();
    }
  }

  /**
   * Documented: the settings cannot be applied between the statements of one string, so transaction control inside a
   * string of several statements is refused while there are settings; without any, it runs as in pgjdbc.
   */
  @Test
  void severalStatementsWithTransactionControlAreRefusedWhileSettingsApply() throws SQLException {
    String marker = marker("several");
    String several = "BEGIN; insert into hs.items(note) values ('" + marker + "'); COMMIT";
    try (Connection connection = openHs(Way.TRANSACTION, "tb-several");
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute(several))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"))
          .hasMessageContaining("statements of their own");
    }
    assertThat(countDirect("hs.items", marker)).isZero();
    try (Connection connection = open(Way.TRANSACTION, "tb-several-plain", "");
        Statement statement = connection.createStatement()) {
      statement.execute(several);
    }
    assertThat(countDirect("hs.items", marker)).isEqualTo(1);
  }

  // ---------------------------------------------------------------- autocommit statements, settings sent in front

  /**
   * In transaction mode an autocommit Statement execution goes out with the schema in front of it, in one execution
   * whose prologue result the driver skips: everything the application sees must still be pgjdbc's.
   */
  @ParameterizedTest
  @EnumSource(Way.class)
  void autocommitStatementsReportWhatPgjdbcReports(Way way) throws SQLException {
    String marker = marker("fused");
    try (Connection connection = openHs(way, "tb-fused"); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery("insert into items(note) values ('" + marker + "')"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("02000"))
          .hasMessage("No results were returned by the query.");
      assertThat(countDirect("hs.items", marker)).as("ran and committed, as in pgjdbc").isEqualTo(1);
      assertThatThrownBy(() -> statement.executeUpdate("select current_schema()"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0100E"))
          .hasMessage("A result was returned when none was expected.");

      assertThat(statement.executeUpdate("update items set note = note where note = '" + marker + "'")).isEqualTo(1);
      assertThat(statement.getUpdateCount()).isEqualTo(1);
      assertThat(statement.getResultSet()).isNull();
      assertThat(statement.getMoreResults()).isFalse();
      assertThat(statement.getUpdateCount()).isEqualTo(-1);

      assertThat(statement.execute("select current_schema()")).isTrue();
      try (ResultSet result = statement.getResultSet()) {
        assertThat(result.next()).isTrue();
        assertThat(result.getString(1)).isEqualTo("hs");
        assertThat(result.getStatement()).isSameAs(statement);
      }
      assertThat(statement.getUpdateCount()).isEqualTo(-1);
      assertThat(statement.getMoreResults()).isFalse();

      assertThatThrownBy(() -> statement.execute("select 1/0"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
      assertThat(connection.unwrap(BaseConnection.class).getTransactionState()).isEqualTo(TransactionState.IDLE);

      assertThat(statement.execute("select public.tb_warn()")).isTrue();
      java.sql.SQLWarning warning = statement.getWarnings();
      assertThat(warning.getMessage()).contains("in hs");
      assertThat(warning.getNextWarning() == null).as("one warning").isTrue();

      statement.setMaxRows(2);
      try (ResultSet result = statement.executeQuery("select g from generate_series(1, 5) g")) {
        assertThat(result.next()).isTrue();
        assertThat(result.next()).isTrue();
        assertThat(result.next()).isFalse();
      }
    }
  }

  /** The same for prepared statements, which run on a twin that holds the statement with the schema in front. */
  @ParameterizedTest
  @EnumSource(Way.class)
  void autocommitPreparedStatementsReportWhatPgjdbcReports(Way way) throws SQLException {
    String marker = marker("fused-prepared");
    try (Connection connection = openHs(way, "tb-fused-prepared");
        // Schema-qualified: pgjdbc describes a statement for its metadata outside any transaction of the handle's.
        PreparedStatement insert = connection.prepareStatement("insert into hs.items(note) values (?)");
        PreparedStatement select =
            connection.prepareStatement("select note, current_schema() from hs.items where note = ?");
        PreparedStatement divide = connection.prepareStatement("select 1 / ?, public.tb_warn()")) {
      assertThat(select.getMetaData().getColumnCount()).isEqualTo(2);
      assertThat(select.getMetaData().getColumnName(2)).isEqualTo("current_schema");
      assertThat(insert.getParameterMetaData().getParameterCount()).isEqualTo(1);
      assertThatThrownBy(insert::executeUpdate)
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"))
          .hasMessage("No value specified for parameter 1.");
      assertThatThrownBy(() -> insert.setString(2, "x"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"))
          .hasMessage("The column index is out of range: 2, number of columns: 1.");

      insert.setString(1, marker);
      assertThatThrownBy(insert::executeQuery)
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("02000"))
          .hasMessage("No results were returned by the query.");
      assertThat(insert.executeUpdate()).isEqualTo(1);
      assertThat(insert.getUpdateCount()).isEqualTo(1);
      assertThat(insert.getMoreResults()).isFalse();
      assertThat(insert.getUpdateCount()).isEqualTo(-1);
      insert.setCharacterStream(1, new java.io.StringReader(marker));
      assertThat(insert.executeUpdate()).as("a reader, read once").isEqualTo(1);
      insert.clearParameters();
      insert.setString(1, marker);
      assertThat(insert.executeUpdate()).isEqualTo(1);
      insert.addBatch();
      insert.addBatch();
      assertThat(insert.executeBatch()).containsExactly(1, 1);
      assertThat(insert.getUpdateCount()).as("the batch's, not an earlier execution's").isEqualTo(-1);
      assertThat(countDirect("hs.items", marker)).isEqualTo(6);

      select.setString(1, marker);
      select.setMaxRows(2);
      ResultSet first = select.executeQuery();
      assertThat(first.next()).isTrue();
      assertThat(first.getString(2)).isEqualTo("hs");
      assertThat(first.getStatement()).isSameAs(select);
      assertThat(select.execute()).isTrue();
      assertThat(first.isClosed()).as("a new execution closes the result set before").isTrue();
      try (ResultSet result = select.getResultSet()) {
        int rows = 0;
        while (result.next()) {
          rows++;
        }
        assertThat(rows).isEqualTo(2);
      }
      assertThatThrownBy(select::executeUpdate)
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0100E"));

      divide.setInt(1, 1);
      try (ResultSet result = divide.executeQuery()) {
        assertThat(result.next()).isTrue();
      }
      java.sql.SQLWarning warning = divide.getWarnings();
      assertThat(warning.getMessage()).contains("in hs");
      divide.setInt(1, 0);
      assertThatThrownBy(divide::executeQuery)
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
      assertThat(connection.unwrap(BaseConnection.class).getTransactionState()).isEqualTo(TransactionState.IDLE);
    }
  }

  /**
   * Documented: procedure code may commit midway, which would end the settings sent in front of it, so it runs in the
   * short transaction of its own that refuses a commit inside (2D000); without settings it runs as in pgjdbc.
   */
  @Test
  void aProcedureThatCommitsInsideIsRefusedWhileSettingsApply() throws SQLException {
    String marker = marker("procedure");
    try (Connection connection = openHs(Way.TRANSACTION, "tb-procedure");
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("CALL public.tb_commit_midway('" + marker + "')"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("2D000"));
      assertThatThrownBy(() -> statement.execute("DO $$BEGIN CALL public.tb_commit_midway('" + marker + "'); END$$"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("2D000"));
    }
    assertThat(countDirect("hs.items", marker)).isZero();
    try (Connection connection = open(Way.TRANSACTION, "tb-procedure-plain", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CALL public.tb_commit_midway('" + marker + "')");
    }
    assertThat(countDirect("hs.items", marker)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void anUpdatableResultSetOfAnAutocommitStatementUpdatesTheRow(Way way) throws SQLException {
    String marker = marker("updatable");
    try (Connection connection = openHs(way, "tb-updatable");
        Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE)) {
      statement.executeUpdate("insert into items(note) values ('" + marker + "')");
      try (ResultSet result = statement.executeQuery("select id, note from hs.items where note = '" + marker + "'")) {
        assertThat(result.next()).isTrue();
        result.updateString("note", marker + "-updated");
        result.updateRow();
      }
    }
    assertThat(countDirect("hs.items", marker + "-updated")).isEqualTo(1);
  }

  /** After statements that carried the schema in front of them, the pooler's server connections are untouched. */
  @Test
  void settingsSentWithAStatementNeverReachAnotherClientOfThePooler() throws SQLException {
    try (Connection connection = openHs(Way.TRANSACTION, "tb-fused-leak");
        Statement statement = connection.createStatement()) {
      statement.execute("SET work_mem = '9MB'");
      for (int i = 0; i < 5; i++) {
        assertThat(query(connection, "select current_schema() || ' ' || current_setting('work_mem')"))
            .isEqualTo("hs 9MB");
      }
      assertThatThrownBy(() -> statement.execute("select 1/0")).isInstanceOf(SQLException.class);
    }
    java.util.Properties properties = transactionPooler.credentials();
    properties.setProperty("prepareThreshold", "0");
    try (Connection other = DriverManager.getConnection(transactionPooler.jdbcUrl(), properties)) {
      for (int i = 0; i < 5; i++) {
        assertThat(query(other, "select current_schema() || ' ' || current_setting('work_mem')"))
            .isEqualTo("public 4MB");
      }
    }
  }

  // ---------------------------------------------------------------- statements outside transaction blocks

  @ParameterizedTest
  @EnumSource(Way.class)
  void statementsThatCannotRunInATransactionBlockRunInAutocommit(Way way) throws SQLException {
    String database = "tb_db_" + way.name().toLowerCase();
    try (Connection connection = openHs(way, "tb");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS items_note_" + way.ordinal() + " ON hs.items (note)");
      statement.execute("REINDEX INDEX CONCURRENTLY hs.items_note_" + way.ordinal());
      statement.execute("DROP INDEX CONCURRENTLY hs.items_note_" + way.ordinal());
      statement.execute("VACUUM hs.items");
      statement.execute("VACUUM");
      statement.execute("DROP DATABASE IF EXISTS " + database);
      statement.execute("CREATE DATABASE " + database);
      statement.execute("DROP DATABASE " + database);
      statement.execute("ALTER SYSTEM RESET tcp_keepalives_count");
      assertThat(query(connection, "select current_schema()")).isEqualTo("hs");
    }
  }

  /** Documented: run alone, an unqualified name would not see the emulated search_path, so it is refused. */
  @Test
  void unqualifiedNamesOutsideATransactionBlockAreRefusedWhereTheSchemaIsEmulated() throws SQLException {
    try (Connection connection = openHs(Way.TRANSACTION, "tb-non-transactional-refused");
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("CREATE INDEX CONCURRENTLY items_bad ON items (note)"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"))
          .hasMessageContaining("Schema-qualify").hasMessageContaining("mode=direct");
      assertThatThrownBy(() -> statement.execute("VACUUM items"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
      assertThat(query(connection, "select count(*) from pg_indexes where indexname = 'items_bad'")).isEqualTo("0");
    }
    try (Connection plain = openHs(Way.PLAIN_PGJDBC, "tb-non-transactional-plain");
        Statement statement = plain.createStatement()) {
      statement.execute("VACUUM items");
    }
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void cursorReadsReturnEveryRow(Way way) throws SQLException {
    try (Connection connection = open(way, "tb-fetch", "currentSchema=hs&defaultRowFetchSize=10")) {
      assertThat(rows(connection, 0)).isEqualTo(1000);
      assertThat(rows(connection, 7)).isEqualTo(1000);
      connection.setAutoCommit(false);
      assertThat(rows(connection, 0)).isEqualTo(1000);
      assertThat(rows(connection, 7)).isEqualTo(1000);
      connection.commit();
    }
  }

  private static int rows(Connection connection, int fetchSize) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      if (fetchSize > 0) {
        statement.setFetchSize(fetchSize);
      }
      int rows = 0;
      try (ResultSet result = statement.executeQuery("select g from generate_series(1, 1000) g")) {
        while (result.next()) {
          rows++;
        }
      }
      return rows;
    }
  }

  // ---------------------------------------------------------------- settings applied before pgjdbc's own queries

  @ParameterizedTest
  @EnumSource(Way.class)
  void isolationSurvivesMetadataAndGetSchemaAtTheStartOfATransaction(Way way) throws SQLException {
    try (Connection connection = openHs(way, "tb")) {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      assertThat(connection.getSchema()).isEqualTo("hs");
      assertThat(query(connection, "show transaction_isolation")).isEqualTo("serializable");
      connection.commit();
      try (ResultSet tables = connection.getMetaData().getTables(null, "hs", "items", null)) {
        assertThat(tables.next()).isTrue();
      }
      assertThat(query(connection, "show transaction_isolation")).isEqualTo("serializable");
      assertThat(query(connection, "select current_schema()")).isEqualTo("hs");
      connection.commit();
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
  }

  // ---------------------------------------------------------------- nothing staged survives a failure

  @ParameterizedTest
  @ValueSource(strings = {"SET work_mem = 'not a size'", "SET search_path = hs2"})
  void aFailedSettingChangeNeverReplacesTheNextStatement(String setting) throws SQLException {
    String marker = marker("after-failed-set");
    try (Connection connection = openHs(Way.TRANSACTION, "tb-staged");
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      // A metadata query opens the transaction; the setting change's setup used to fail after it (25001) and leave
      // its rewrite staged, sent later in place of the INSERT.
      try (ResultSet tables = connection.getMetaData().getTables(null, "hs", "items", null)) {
        assertThat(tables.next()).isTrue();
      }
      statement.execute("SET work_mem = '8MB'");
      connection.rollback();
      assertThat(statement.executeUpdate("insert into items(note) values ('" + marker + "')")).isEqualTo(1);
      connection.commit();
      // The transaction fails first, so the setting change fails in it.
      assertThatThrownBy(() -> statement.execute("select 1/0")).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> statement.execute(setting)).isInstanceOf(SQLException.class);
      connection.rollback();
      assertThatThrownBy(() -> statement.execute("SET work_mem = 'not a size'")).isInstanceOf(SQLException.class);
      connection.rollback();
      assertThat(statement.executeUpdate("insert into items(note) values ('" + marker + "')")).isEqualTo(1);
      connection.commit();
      assertThat(query(connection, "show work_mem")).isEqualTo("4MB");
      connection.rollback();
    }
    assertThat(countDirect("hs.items", marker)).isEqualTo(2);
  }

  // ---------------------------------------------------------------- commit of a failed transaction

  @ParameterizedTest
  @EnumSource(value = Way.class, names = {"TRANSACTION", "SESSION", "DIRECT"})
  void commitOfAFailedTransactionThrowsAClass40Error(Way way) throws SQLException {
    String marker = marker("failed-commit");
    try (Connection connection = openHs(way, "tb");
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.executeUpdate("insert into items(note) values ('" + marker + "')");
      assertThatThrownBy(() -> statement.execute("select 1/0")).isInstanceOf(SQLException.class);
      assertThatThrownBy(connection::commit)
          .isInstanceOfSatisfying(SQLTransactionRollbackException.class,
              e -> assertThat(e.getSQLState()).startsWith("40"))
          .hasMessageContaining("rolled back");
      // The connection is usable again, as after a rollback.
      statement.executeUpdate("insert into items(note) values ('" + marker + "-next')");
      connection.commit();
    }
    assertThat(countDirect("hs.items", marker)).isZero();
    assertThat(countDirect("hs.items", marker + "-next")).isEqualTo(1);
  }

  /** The oracle: plain pgjdbc returns normally and the row is gone, which is what the driver refuses to hide. */
  @Test
  void plainPgjdbcCommitOfAFailedTransactionReturnsSilently() throws SQLException {
    String marker = marker("failed-commit-plain");
    try (Connection connection = openHs(Way.PLAIN_PGJDBC, "tb-failed-commit-plain");
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.executeUpdate("insert into items(note) values ('" + marker + "')");
      assertThatThrownBy(() -> statement.execute("select 1/0")).isInstanceOf(SQLException.class);
      connection.commit();
    }
    assertThat(countDirect("hs.items", marker)).isZero();
  }

  // ---------------------------------------------------------------- session and direct mode: pristine next handle

  @ParameterizedTest
  @EnumSource(value = Way.class, names = {"SESSION", "DIRECT"})
  void rawSqlBeforeASetterNeverReachesTheNextHandle(Way way) throws SQLException {
    String application = "tb-pristine-" + way.name().toLowerCase();
    try (Connection first = open(way, application, "maxConnections=1");
        Statement statement = first.createStatement()) {
      statement.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE");
      first.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      statement.execute("SET application_name = 'raw-name'");
      first.setClientInfo("ApplicationName", "client-info-name");
    }
    try (Connection next = open(way, application, "maxConnections=1")) {
      assertThat(next.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
      assertThat(query(next, "show application_name")).isEqualTo(application);
      assertThat(next.getClientInfo("ApplicationName")).isEqualTo(application);
      next.setAutoCommit(false);
      assertThat(query(next, "show transaction_isolation")).isEqualTo("read committed");
      next.rollback();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String marker(String what) {
    return what + "-" + System.nanoTime();
  }

  private long countDirect(String table, String note) throws SQLException {
    try (Connection admin = postgres.openAdminConnection()) {
      return Long.parseLong(count(admin, table, note));
    }
  }

  private static String count(Connection connection, String table, String note) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("select count(*) from " + table
        + " where note = ?")) {
      statement.setString(1, note);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getString(1);
      }
    }
  }

  static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
