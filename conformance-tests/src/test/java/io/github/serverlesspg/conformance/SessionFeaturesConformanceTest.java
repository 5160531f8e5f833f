package io.github.serverlesspg.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Features that need a server session: they work in session and direct mode; in transaction mode they follow
 * {@code sessionState} (the default {@code error}: SQLSTATE 0A000 before anything reaches the pooler).
 */
@RealDatabase
final class SessionFeaturesConformanceTest {
  private static final String NOT_SUPPORTED = "0A000";

  @AfterAll
  static void releaseConnections() {
    Target.releaseIdleConnections();
  }

  @ParameterizedTest
  @EnumSource(value = Target.class, names = {"SESSION", "DIRECT"})
  void listenReceivesNotify(Target target) throws SQLException {
    String channel = "conformance_" + target.name().toLowerCase();
    try (Connection listener = connect(target, "listener"); Connection sender = connect(target, "sender");
        Statement listen = listener.createStatement(); Statement notify = sender.createStatement()) {
      listen.execute("LISTEN " + channel);
      notify.execute("NOTIFY " + channel + ", 'hello'");

      PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(10_000);
      assertThat(received).extracting(PGNotification::getName, PGNotification::getParameter)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(channel, "hello"));
      listen.execute("UNLISTEN " + channel);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Target.class, names = {"SESSION", "DIRECT"})
  void sessionAdvisoryLockIsHeldAcrossTransactions(Target target) throws SQLException {
    long key = 6_000 + target.ordinal();
    try (Connection holder = connect(target, "lock-holder"); Connection other = connect(target, "lock-other")) {
      assertThat(bool(holder, "SELECT pg_try_advisory_lock(" + key + ")")).isTrue();
      assertThat(bool(other, "SELECT pg_try_advisory_lock(" + key + ")")).as("held by the first session").isFalse();
      assertThat(bool(holder, "SELECT pg_advisory_unlock(" + key + ")")).isTrue();
      assertThat(bool(other, "SELECT pg_try_advisory_lock(" + key + ")")).isTrue();
      assertThat(bool(other, "SELECT pg_advisory_unlock(" + key + ")")).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Target.class, names = {"SESSION", "DIRECT"})
  void temporaryTableLivesAcrossTransactions(Target target) throws SQLException {
    try (Connection connection = connect(target, "temp"); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TEMPORARY TABLE scratch (v int)");
      statement.execute("INSERT INTO scratch VALUES (1), (2)");
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM scratch")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(2);
      }
      statement.execute("DROP TABLE scratch");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"LISTEN conformance_tx", "SELECT pg_advisory_lock(42)",
      "CREATE TEMPORARY TABLE scratch (v int)", "SET work_mem = '8MB'; SELECT 1"})
  void transactionModeRefusesSessionStateByDefault(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(
        Target.TRANSACTION.url("session-refused"), Target.TRANSACTION.credentials());
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute(sql))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(NOT_SUPPORTED));
      // what transaction mode offers instead: transaction-scoped locks and temporary tables
      connection.setAutoCommit(false);
      assertThat(bool(connection, "SELECT pg_try_advisory_xact_lock(42)")).isTrue();
      statement.execute("CREATE TEMPORARY TABLE scratch_tx (v int) ON COMMIT DROP");
      connection.commit();
    }
  }

  private static Connection connect(Target target, String role) throws SQLException {
    return DriverManager.getConnection(target.url("session-" + role), target.credentials());
  }

  private static boolean bool(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getBoolean(1);
    }
  }
}
