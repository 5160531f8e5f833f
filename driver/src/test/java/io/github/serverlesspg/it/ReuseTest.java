package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** Process-wide reuse of physical connections, against the real servers. */
@RealDatabase
class ReuseTest {

  /** Warm invocations of a serverless function: one physical client connection to the pooler, ever. */
  @Test
  void twoHundredSequentialInvocationsUseOnePhysicalConnection(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    String application = "serverless-simulation";
    String url = Targets.through(pooler, application, "mode=transaction&maxConnections=1");
    PGConnection first = null;
    for (int invocation = 0; invocation < 200; invocation++) {
      try (Connection connection = Targets.connect(url, pooler.credentials())) {
        assertThat(selectOne(connection, "select " + invocation)).isEqualTo(invocation);
        PGConnection physical = connection.unwrap(PGConnection.class);
        if (first == null) {
          first = physical;
        }
        assertThat(physical).as("invocation %d reused the physical connection", invocation).isSameAs(first);
      }
    }
    assertThat(Targets.clientsOf(pooler, application)).isEqualTo(1);
  }

  @Test
  void terminatedBackendIsReplacedWithoutAnError(PostgresServer postgres) throws SQLException {
    String application = "thaw-terminated";
    String url = Targets.direct(postgres, application, "validationWindow=0");
    PGConnection before = invoke(url, postgres.credentials());
    assertThat(postgres.terminateBackends(application)).isEqualTo(1);
    PGConnection after = invoke(url, postgres.credentials());
    assertThat(after).isNotSameAs(before);
  }

  @Test
  void killedPoolerClientIsReplacedWithoutAnError(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    String url = Targets.through(pooler, "thaw-killed", "mode=transaction&validationWindow=0");
    PGConnection before = invoke(url, pooler.credentials());
    pooler.kill(pooler.database());
    PGConnection after = invoke(url, pooler.credentials());
    assertThat(after).isNotSameAs(before);
  }

  @Test
  void restartedPoolerIsReconnectedWithoutAnError(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    String url = Targets.through(pooler, "thaw-restarted", "mode=transaction&validationWindow=0");
    PGConnection before = invoke(url, pooler.credentials());
    pooler.restart();
    PGConnection after = invoke(url, pooler.credentials());
    assertThat(after).isNotSameAs(before);
  }

  /** Within the validation window nothing is checked; a connection error then evicts the connection. */
  @Test
  void connectionErrorsEvictTheConnection(PostgresServer postgres) throws SQLException {
    String application = "evict-on-error";
    String url = Targets.direct(postgres, application, "validationWindow=3600000");
    PGConnection before = invoke(url, postgres.credentials());
    postgres.terminateBackends(application);
    try (Connection connection = Targets.connect(url, postgres.credentials())) {
      SQLException error = catchThrowableOfType(SQLException.class, () -> selectOne(connection, "select 1"));
      assertThat(error.getSQLState()).matches("08.*|57P01");
    }
    PGConnection after = invoke(url, postgres.credentials());
    assertThat(after).isNotSameAs(before);
  }

  @Test
  void nestedConnectionsOnOneThreadNeverDeadlock(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    String url = Targets.through(pooler, "nested", "mode=transaction&maxConnections=1&acquireTimeout=60000");
    // Flyway holds a connection for its lock and schema history while it runs migrations on another.
    try (Connection outer = Targets.connect(url, pooler.credentials());
        Connection middle = Targets.connect(url, pooler.credentials());
        Connection inner = Targets.connect(url, pooler.credentials())) {
      assertThat(selectOne(outer, "select 1") + selectOne(middle, "select 2") + selectOne(inner, "select 3"))
          .isEqualTo(6);
    }
  }

  @Test
  void sixtyFourThreadsShareTwoPhysicalConnections(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws Exception {
    String application = "sixty-four-threads";
    String url = Targets.through(pooler, application, "mode=transaction&maxConnections=2&acquireTimeout=60000");
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    ExecutorService executor = Executors.newFixedThreadPool(64);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 64; t++) {
      futures.add(executor.submit(() -> {
        for (int i = 0; i < 25; i++) {
          try (Connection connection = Targets.connect(url, pooler.credentials())) {
            selectOne(connection, "select 1");
          } catch (SQLException | RuntimeException e) {
            failures.add(e);
          }
        }
      }));
    }
    for (Future<?> future : futures) {
      future.get(120, TimeUnit.SECONDS);
    }
    executor.shutdown();
    assertThat(failures).isEmpty();
    assertThat(Targets.clientsOf(pooler, application)).isLessThanOrEqualTo(2);
  }

  @Test
  void waitingPastAcquireTimeoutIsAClearError(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws Exception {
    String url = Targets.through(pooler, "acquire-timeout", "mode=transaction&maxConnections=1&acquireTimeout=200");
    try (Connection held = Targets.connect(url, pooler.credentials())) {
      ExecutorService other = Executors.newSingleThreadExecutor();
      try {
        Future<Connection> attempt = other.submit(() -> Targets.connect(url, pooler.credentials()));
        SQLException error = catchThrowableOfType(SQLException.class, () -> {
          try {
            attempt.get(30, TimeUnit.SECONDS).close();
          } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause();
          }
        });
        assertThat(error.getSQLState()).isEqualTo("08001");
        assertThat(error.getMessage()).contains("maxConnections=1", "1 in use", "acquireTimeout");
      } finally {
        other.shutdownNow();
      }
      assertThat(selectOne(held, "select 1")).isEqualTo(1);
    }
  }

  @Test
  void differentCredentialsNeverShareAPhysicalConnection(PostgresServer postgres) throws SQLException {
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("do $$ begin create role reuse_other login password 'other-secret'; "
          + "exception when duplicate_object then null; end $$");
      statement.execute("grant connect on database " + postgres.database() + " to reuse_other");
    }
    String url = Targets.direct(postgres, "credentials", "maxConnections=1");
    Properties other = new Properties();
    other.setProperty("user", "reuse_other");
    other.setProperty("password", "other-secret");
    for (int i = 0; i < 3; i++) {
      try (Connection mine = Targets.connect(url, postgres.credentials());
          Connection theirs = Targets.connect(url, other)) {
        assertThat(currentUser(mine)).isEqualTo(postgres.user());
        assertThat(currentUser(theirs)).isEqualTo("reuse_other");
        assertThat(mine.unwrap(PGConnection.class)).isNotSameAs(theirs.unwrap(PGConnection.class));
      }
    }
    other.setProperty("password", "guess");
    SQLException error = catchThrowableOfType(SQLException.class, () -> Targets.connect(url, other));
    assertThat(error.getSQLState()).isEqualTo("28P01");
  }

  private static PGConnection invoke(String url, Properties credentials) throws SQLException {
    try (Connection connection = Targets.connect(url, credentials)) {
      assertThat(selectOne(connection, "select 7")).isEqualTo(7);
      return connection.unwrap(PGConnection.class);
    }
  }

  private static int selectOne(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getInt(1);
    }
  }

  private static String currentUser(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select current_user")) {
      result.next();
      return result.getString(1);
    }
  }
}
