package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A commit whose connection is lost in flight is reported as 08007 (outcome unknown), with the original failure as
 * cause; a commit the server refused keeps the server's SQLSTATE. The loss is real: a deferred constraint trigger
 * terminates its own backend while COMMIT runs (57P01 from PostgreSQL, and through PgBouncer whatever it makes of
 * it).
 */
@RealDatabase
class CommitOutcomeTest {
  /** The shared server's max_connections is small: leave no idle physical connection of this test behind. */
  @AfterEach
  void closeIdleConnections() {
    PhysicalConnectionCache.global().closeIdle("test finished");
  }


  @BeforeAll
  static void schema(PostgresServer postgres) throws SQLException {
    FaultSchema.create(postgres);
  }

  @Test
  void connectionLostDuringCommitIsOutcomeUnknownDirect(PostgresServer postgres) throws SQLException {
    assertCommitLostIsUnknown(Targets.direct(postgres, "commit-lost-direct", "mode=direct"), postgres.credentials(),
        postgres);
  }

  @Test
  void connectionLostDuringCommitIsOutcomeUnknownThroughTheTransactionPooler(
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler, PostgresServer postgres) throws SQLException {
    assertCommitLostIsUnknown(Targets.through(pooler, "commit-lost-pooled", "mode=transaction"),
        pooler.credentials(), postgres);
  }

  @Test
  void sqlCommitStatementLostInFlightIsOutcomeUnknown(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler,
      PostgresServer postgres) throws SQLException {
    String url = Targets.through(pooler, "commit-sql-lost", "mode=transaction");
    long id = FaultSchema.nextId();
    try (Connection connection = Targets.connect(url, pooler.credentials());
        Statement statement = connection.createStatement()) {
      statement.execute("BEGIN");
      statement.execute("insert into fault_units(id) values (" + id + ")");
      statement.execute("insert into fault_die_at_commit(id) values (" + id + ")");
      SQLException failure = catchThrowableOfType(SQLException.class, () -> statement.execute("COMMIT"));
      assertThat(failure.getSQLState()).isEqualTo("08007");
      assertThat(failure.getCause()).isInstanceOf(SQLException.class);
      assertThat(connection.isValid(1)).isFalse();
    }
    assertThat(FaultSchema.unitRows(postgres, id)).isZero();
  }

  @Test
  void commitRefusedByTheServerKeepsItsSqlState(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler,
      PostgresServer postgres) throws SQLException {
    String url = Targets.through(pooler, "commit-refused", "mode=transaction");
    long id = FaultSchema.nextId();
    try (Connection connection = Targets.connect(url, pooler.credentials())) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        // The deferred unique key is checked by COMMIT: the server answers, the transaction is rolled back.
        statement.execute("insert into fault_deferred_unique(k) values (" + id + "), (" + id + ")");
      }
      SQLException failure = catchThrowableOfType(SQLException.class, connection::commit);
      assertThat(failure.getSQLState()).isEqualTo("23505");
      assertThat(connection.isValid(1)).isTrue();
    }
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from fault_deferred_unique where k = " + id)) {
      rows.next();
      assertThat(rows.getInt(1)).isZero();
    }
  }

  /** A connection that was already known lost never sends COMMIT: a clean failure, not an unknown outcome. */
  @Test
  void commitOnAConnectionAlreadyLostIsNotOutcomeUnknown(PostgresServer postgres) throws SQLException {
    String url = Targets.direct(postgres, "commit-after-loss", "mode=direct");
    try (Connection connection = Targets.connect(url, postgres.credentials())) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("insert into fault_units(id) values (" + FaultSchema.nextId() + ")");
        SQLException lost = catchThrowableOfType(SQLException.class,
            () -> statement.execute("select pg_terminate_backend(pg_backend_pid())"));
        assertThat(lost.getSQLState()).isEqualTo("57P01");
      }
      SQLException failure = catchThrowableOfType(SQLException.class, connection::commit);
      assertThat(failure.getSQLState()).isNotEqualTo("08007").startsWith("08");
    }
  }

  private static void assertCommitLostIsUnknown(String url, Properties credentials, PostgresServer postgres)
      throws SQLException {
    long id = FaultSchema.nextId();
    try (Connection connection = Targets.connect(url, credentials)) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("insert into fault_units(id) values (" + id + ")");
        statement.execute("insert into fault_die_at_commit(id) values (" + id + ")");
      }
      SQLException failure = catchThrowableOfType(SQLException.class, connection::commit);
      assertThat(failure.getSQLState()).isEqualTo("08007");
      assertThat(failure.getMessage()).contains("may or may not have committed");
      assertThat(failure.getCause()).isInstanceOfSatisfying(SQLException.class,
          cause -> assertThat(cause.getSQLState()).matches("57P01|08.*"));
    }
    // Here the trigger ran before the commit record, so nothing committed; the driver could not know that.
    assertThat(FaultSchema.unitRows(postgres, id)).isZero();
  }
}
