package io.github.serverlesspg.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.testsupport.RealDatabase;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** pgjdbc features used through the driver's logical connections, in every mode. */
@RealDatabase
final class PgjdbcFeaturesConformanceTest {
  private static final String QUERY_CANCELED = "57014";

  @BeforeAll
  static void createSchema() throws SQLException {
    try (Connection connection = DriverManager.getConnection(Target.DIRECT.url("pgjdbc-setup"),
        Target.DIRECT.credentials()); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS feature_row (id bigserial PRIMARY KEY, mode text NOT NULL, "
          + "tags text[], doc jsonb, payload bytea, at timestamptz)");
      statement.execute("CREATE OR REPLACE FUNCTION add_and_double(a int, b int, OUT total int, OUT doubled int) "
          + "LANGUAGE sql AS 'SELECT a + b, 2 * (a + b)'");
    }
  }

  @AfterAll
  static void releaseConnections() {
    Target.releaseIdleConnections();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void batchesWithAndWithoutRewriteReturnGeneratedKeys(Target target) throws SQLException {
    for (boolean rewrite : new boolean[] {false, true}) {
      String mode = target + "-batch-" + rewrite;
      try (Connection connection = connect(target, "reWriteBatchedInserts=" + rewrite);
          PreparedStatement insert = connection.prepareStatement("INSERT INTO feature_row (mode) VALUES (?)",
              new String[] {"id"})) {
        for (int i = 0; i < 20; i++) {
          insert.setString(1, mode);
          insert.addBatch();
        }
        insert.executeBatch();
        int keys = 0;
        try (ResultSet generated = insert.getGeneratedKeys()) {
          while (generated.next()) {
            assertThat(generated.getLong(1)).isPositive();
            keys++;
          }
        }
        assertThat(keys).isEqualTo(20);
        assertThat(countRows(connection, mode)).isEqualTo(20);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void arraysJsonbByteaAndTimestampsRoundTrip(Target target) throws SQLException {
    OffsetDateTime at = OffsetDateTime.of(2024, 2, 29, 23, 30, 0, 0, ZoneOffset.ofHours(5));
    try (Connection connection = connect(target, "")) {
      long id;
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO feature_row (mode, tags, doc, payload, "
          + "at) VALUES (?, ?, ?::jsonb, ?, ?) RETURNING id")) {
        insert.setString(1, target + "-types");
        insert.setArray(2, connection.createArrayOf("text", new String[] {"a", "b,c"}));
        insert.setString(3, "{\"k\": [1, 2]}");
        insert.setBytes(4, new byte[] {0, 1, (byte) 0xff});
        insert.setObject(5, at);
        try (ResultSet key = insert.executeQuery()) {
          key.next();
          id = key.getLong(1);
        }
      }
      try (PreparedStatement select = connection.prepareStatement("SELECT tags, doc -> 'k' ->> 1, payload, at "
          + "FROM feature_row WHERE id = ?")) {
        select.setLong(1, id);
        try (ResultSet row = select.executeQuery()) {
          assertThat(row.next()).isTrue();
          Array tags = row.getArray(1);
          assertThat((Object[]) tags.getArray()).containsExactly("a", "b,c");
          assertThat(row.getString(2)).isEqualTo("2");
          assertThat(row.getBytes(3)).containsExactly(0, 1, 0xff);
          assertThat(row.getObject(4, OffsetDateTime.class).toInstant()).isEqualTo(at.toInstant());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void copyInAndOutThroughCopyManager(Target target) throws Exception {
    String mode = target + "-copy";
    try (Connection connection = connect(target, "")) {
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      long copied = copy.copyIn("COPY feature_row (mode) FROM STDIN", new StringReader(mode + "\n" + mode + "\n"));
      assertThat(copied).isEqualTo(2);
      StringWriter out = new StringWriter();
      copy.copyOut("COPY (SELECT mode FROM feature_row WHERE mode = '" + mode + "') TO STDOUT", out);
      assertThat(out.toString()).isEqualTo(mode + "\n" + mode + "\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void cursorFetchesALargeResultInsideATransaction(Target target) throws SQLException {
    try (Connection connection = connect(target, "")) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.setFetchSize(1_000);
        long rows = 0;
        long sum = 0;
        try (ResultSet result = statement.executeQuery("SELECT i FROM generate_series(1, 100000) AS i")) {
          while (result.next()) {
            rows++;
            sum += result.getLong(1);
          }
        }
        assertThat(rows).isEqualTo(100_000);
        assertThat(sum).isEqualTo(100_000L * 100_001 / 2);
      }
      connection.commit();
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void callableStatementCallsAFunction(Target target) throws SQLException {
    try (Connection connection = connect(target, "");
        CallableStatement call = connection.prepareCall("{call add_and_double(?, ?, ?, ?)}")) {
      call.setInt(1, 2);
      call.setInt(2, 3);
      call.registerOutParameter(3, Types.INTEGER);
      call.registerOutParameter(4, Types.INTEGER);
      call.execute();
      assertThat(call.getInt(3)).isEqualTo(5);
      assertThat(call.getInt(4)).isEqualTo(10);
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void queryTimeoutAndCancelEndQueriesWith57014(Target target) throws Exception {
    try (Connection connection = connect(target, ""); Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(1);
      assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(30)"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(QUERY_CANCELED));
    }
    try (Connection connection = connect(target, ""); Statement statement = connection.createStatement()) {
      CountDownLatch started = new CountDownLatch(1);
      CompletableFuture<SQLException> outcome = CompletableFuture.supplyAsync(() -> {
        started.countDown();
        try {
          statement.execute("SELECT pg_sleep(120)");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      // cancel until the query ends: a cancel that arrives before the query starts has nothing to cancel
      SQLException failure = null;
      // (up to 30 s of attempts: on a loaded machine a cancel request can be lost on its way through the pooler)
      for (int attempt = 0; attempt < 150 && failure == null; attempt++) {
        statement.cancel();
        try {
          failure = outcome.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
          // the next attempt cancels again
        }
      }
      assertThat((Throwable) failure).as("the cancelled query failed").isNotNull();
      assertThat(failure.getSQLState()).isEqualTo(QUERY_CANCELED);
      try (ResultSet stillUsable = statement.executeQuery("SELECT 1")) {
        assertThat(stillUsable.next()).isTrue();
      }
    }
  }

  private static Connection connect(Target target, String parameters) throws SQLException {
    return DriverManager.getConnection(target.url("pgjdbc", parameters), target.credentials());
  }

  private static long countRows(Connection connection, String mode) throws SQLException {
    try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM feature_row WHERE mode = ?")) {
      count.setString(1, mode);
      try (ResultSet result = count.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }
}
