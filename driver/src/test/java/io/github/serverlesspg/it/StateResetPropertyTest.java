package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PoolMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A second handle never sees the first handle's state: random sequences of state changes on one handle, then the
 * next handle over the same physical connection (maxConnections=1) must look like a fresh connection. In every mode,
 * through the real servers.
 */
class StateResetPropertyTest {
  /** What one handle may change. Raw session SQL only where the mode allows it (see {@link #allowedIn}). */
  enum Change {
    AUTOCOMMIT_OFF_WITH_OPEN_TRANSACTION,
    READ_ONLY,
    SERIALIZABLE,
    SCHEMA,
    NETWORK_TIMEOUT,
    CLIENT_INFO,
    HOLDABILITY,
    SESSION_SET,
    TEMP_TABLE,
    AUTOCOMMIT_OFF_THEN_COMMIT,
    BEGIN_AS_SQL_IN_AUTOCOMMIT,
    BEGIN_THROUGH_UNWRAP_IN_AUTOCOMMIT
  }

  private static DatabaseEnvironment environment;

  @BeforeContainer
  static void prepare() throws SQLException {
    environment = DatabaseEnvironment.shared();
    try (Connection admin = environment.postgres().openAdminConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("create schema if not exists billing");
      statement.execute("create table if not exists public.reset_probe(id serial primary key, note text)");
    }
  }

  @Property(tries = 100)
  void nextHandleSeesAFreshConnection(@ForAll("modes") String mode, @ForAll("changes") List<Change> changes)
      throws SQLException {
    PoolMode pooler = mode.equals("session") ? PoolMode.SESSION : PoolMode.TRANSACTION;
    String url = mode.equals("direct")
        ? Targets.direct(environment.postgres(), "reset-" + mode, "mode=direct&maxConnections=1")
        : Targets.through(environment.pooler(pooler), "reset-" + mode, "mode=" + mode + "&maxConnections=1");
    Properties credentials = environment.postgres().credentials();
    String marker = "probe-" + System.nanoTime();
    PGConnection firstPhysical;
    try (Connection first = Targets.connect(url, credentials)) {
      firstPhysical = first.unwrap(PGConnection.class);
      for (Change change : changes) {
        if (allowedIn(change, mode)) {
          apply(change, first, marker);
        }
      }
    }
    try (Connection next = Targets.connect(url, credentials)) {
      assertThat(next.unwrap(PGConnection.class)).as("same physical connection").isSameAs(firstPhysical);
      assertThat(next.getAutoCommit()).isTrue();
      assertThat(next.isReadOnly()).isFalse();
      assertThat(next.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
      assertThat(next.getSchema()).isEqualTo("public");
      assertThat(next.getNetworkTimeout()).isZero();
      assertThat(next.getClientInfo("ApplicationName")).isNotEqualTo("changed-by-first-handle");
      assertThat(next.getHoldability()).isEqualTo(java.sql.ResultSet.CLOSE_CURSORS_AT_COMMIT);
      assertThat(query(next, "show work_mem")).isEqualTo("4MB");
      assertThat(query(next, "select count(*) from reset_probe where note = '" + marker + "-uncommitted'"))
          .isEqualTo("0");
      if (!mode.equals("transaction")) {
        assertThat(query(next, "select to_regclass('pg_temp.reset_scratch') is null")).isEqualTo("t");
      }
      next.setAutoCommit(false);
      assertThat(query(next, "show transaction_isolation")).isEqualTo("read committed");
      assertThat(query(next, "show transaction_read_only")).isEqualTo("off");
      next.rollback();
    }
  }

  /**
   * A raw SET is emulated per transaction in transaction mode; a temporary table cannot be (sessionState warns about
   * it), so not there.
   */
  private static boolean allowedIn(Change change, String mode) {
    Set<Change> unemulated = EnumSet.of(Change.TEMP_TABLE);
    return !mode.equals("transaction") || !unemulated.contains(change);
  }

  private static void apply(Change change, Connection connection, String marker) throws SQLException {
    if (connection.getAutoCommit() && transactionState(connection) != TransactionState.IDLE) {
      execute(connection, "rollback"); // begun as SQL by an earlier change: the other changes need no transaction
    }
    switch (change) {
      case AUTOCOMMIT_OFF_WITH_OPEN_TRANSACTION:
        connection.setAutoCommit(false);
        // A read-only transaction refuses the insert; it still leaves a transaction open.
        execute(connection, !canWrite(connection) ? "select 1"
            : "insert into public.reset_probe(note) values ('" + marker + "-uncommitted')");
        break;
      case AUTOCOMMIT_OFF_THEN_COMMIT:
        if (!connection.getAutoCommit()) {
          connection.rollback(); // the probe row must stay uncommitted
        }
        connection.setAutoCommit(false);
        execute(connection, "select 1");
        connection.commit();
        break;
      case READ_ONLY:
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
        connection.setReadOnly(true);
        break;
      case SERIALIZABLE:
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
        connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        break;
      case SCHEMA:
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
        connection.setSchema("billing");
        break;
      case NETWORK_TIMEOUT:
        connection.setNetworkTimeout(Runnable::run, 12_345);
        break;
      case CLIENT_INFO:
        connection.setClientInfo("ApplicationName", "changed-by-first-handle");
        break;
      case HOLDABILITY:
        connection.setHoldability(java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT);
        break;
      case SESSION_SET:
        execute(connection, "set work_mem = '7MB'");
        break;
      case BEGIN_AS_SQL_IN_AUTOCOMMIT:
        autocommitWithoutTheProbeRow(connection);
        execute(connection, "begin");
        execute(connection, "insert into public.reset_probe(note) values ('" + marker + "-uncommitted')");
        break;
      case BEGIN_THROUGH_UNWRAP_IN_AUTOCOMMIT:
        autocommitWithoutTheProbeRow(connection);
        try (Statement raw = connection.unwrap(BaseConnection.class).createStatement()) {
          raw.execute("begin");
          raw.execute("insert into public.reset_probe(note) values ('" + marker + "-uncommitted')");
        }
        break;
      case TEMP_TABLE:
        if (canWrite(connection)) {
          execute(connection, "create temp table if not exists reset_scratch(id int)");
        }
        break;
      default:
        throw new IllegalArgumentException(change.name());
    }
  }

  /** Autocommit on, no transaction open, and the uncommitted probe row of an earlier change rolled back. */
  private static void autocommitWithoutTheProbeRow(Connection connection) throws SQLException {
    if (!connection.getAutoCommit()) {
      connection.rollback();
      connection.setAutoCommit(true);
    }
  }

  private static TransactionState transactionState(Connection connection) throws SQLException {
    return connection.unwrap(BaseConnection.class).getTransactionState();
  }

  /** pgjdbc enforces read-only only inside transactions (readOnlyMode=transaction). */
  private static boolean canWrite(Connection connection) throws SQLException {
    return !(connection.isReadOnly() && !connection.getAutoCommit());
  }

  @Provide
  Arbitrary<String> modes() {
    return Arbitraries.of("transaction", "session", "direct");
  }

  @Provide
  Arbitrary<List<Change>> changes() {
    return Arbitraries.of(Change.class).list().ofMinSize(1).ofMaxSize(6);
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
