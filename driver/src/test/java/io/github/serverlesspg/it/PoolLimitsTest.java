package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The pool's promises at the edges, against PostgreSQL behind a transaction-mode PgBouncer: a handle closed and
 * aborted by two threads at once releases once, {@code maxConnections} plus the nesting allowance is a hard cap,
 * abandoned handles and statements are not kept, {@code abort} keeps JDBC's contract.
 */
@RealDatabase
class PoolLimitsTest {

  /**
   * A watchdog's {@code close} racing the owner's {@code close} on one handle, 20,000 times (the old check-then-act
   * showed a double release after about 6,000 such races). Afterwards the single physical connection is lent to one
   * borrower at a time: a nested borrow on the same thread gets another one, never the same.
   */
  @Test
  void twoThreadsClosingOneHandleReleaseItOnce(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws Exception {
    String application = "race-close";
    String url = Targets.through(pooler, application, "mode=transaction&maxConnections=1&acquireTimeout=5000");
    int iterations = 20_000;
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService watchdog = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < iterations; i++) {
        Connection handle = Targets.connect(url, pooler.credentials());
        Future<?> other = watchdog.submit(() -> {
          start.await();
          handle.close();
          return null;
        });
        start.await();
        handle.close();
        other.get(10, TimeUnit.SECONDS);
        assertThat(handle.isClosed()).isTrue();
      }
    } finally {
      watchdog.shutdownNow();
    }
    assertLentOnceAtATime(url, pooler);
    assertThat(Targets.clientsOf(pooler, application)).isLessThanOrEqualTo(1);
  }

  /**
   * {@code abort} racing {@code close} on one handle, 200 times (each abort costs a reconnect): the slot comes back
   * every time, so the next {@code getConnection} with {@code maxConnections=1} never waits out its timeout, and an
   * abort that comes too late to stop the close never reaches the connection the close gave back: the next handle
   * works.
   */
  @Test
  void abortRacingCloseFreesTheSlotOnce(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws Exception {
    String application = "race-abort";
    String url = Targets.through(pooler, application, "mode=transaction&maxConnections=1&acquireTimeout=5000");
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService watchdog = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < 200; i++) {
        Connection handle = Targets.connect(url, pooler.credentials());
        Future<?> other = watchdog.submit(() -> {
          start.await();
          handle.abort(Runnable::run);
          return null;
        });
        start.await();
        handle.close();
        other.get(10, TimeUnit.SECONDS);
        assertThat(handle.isClosed()).isTrue();
        try (Connection next = Targets.connect(url, pooler.credentials());
            java.sql.Statement statement = next.createStatement();
            java.sql.ResultSet one = statement.executeQuery("select 1")) {
          assertThat(one.next()).as("iteration %d: the next handle works", i).isTrue();
        }
      }
    } finally {
      watchdog.shutdownNow();
    }
    assertLentOnceAtATime(url, pooler);
    assertThat(Targets.clientsOf(pooler, application)).isLessThanOrEqualTo(1);
  }

  @Test
  void abortWithoutAnExecutorFailsFirstAndChangesNothing(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    String url = Targets.through(pooler, "abort-null", "mode=transaction&maxConnections=1");
    try (Connection connection = Targets.connect(url, pooler.credentials())) {
      SQLException error = catchThrowableOfType(SQLException.class, () -> connection.abort(null));
      assertThat(error.getSQLState()).isEqualTo("22023");
      assertThat(error.getMessage()).contains("Executor");
      assertThat(connection.isClosed()).isFalse();
      assertThat(selectOne(connection, "select 5")).isEqualTo(5);
    }
  }

  @Test
  void abortWithAnExecutorThatRefusesStillClosesAndFreesTheSlot(
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws SQLException {
    String application = "abort-rejected";
    String url = Targets.through(pooler, application, "mode=transaction&maxConnections=1&acquireTimeout=2000");
    Connection connection = Targets.connect(url, pooler.credentials());
    PGConnection aborted = connection.unwrap(PGConnection.class);
    connection.abort(task -> {
      throw new RejectedExecutionException("shut down");
    });
    assertThat(connection.isClosed()).isTrue();
    try (Connection next = Targets.connect(url, pooler.credentials())) {
      assertThat(next.unwrap(PGConnection.class)).isNotSameAs(aborted);
      assertThat(selectOne(next, "select 6")).isEqualTo(6);
    }
  }

  /**
   * One thread borrowing again and again with {@code maxConnections=1}: the nesting allowance gives it two more
   * connections (Flyway needs 2–3), the fourth waits out {@code acquireTimeout} and fails with 08001. PgBouncer never
   * sees more than 3 clients.
   */
  @Test
  void maxConnectionsPlusTheNestingAllowanceIsAHardCap(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    String application = "hard-cap";
    String url = Targets.through(pooler, application, "mode=transaction&maxConnections=1&acquireTimeout=300");
    assertThat(ServerlessPgDriver.explain(url, pooler.credentials())).contains("at most 1 (+2", "hard cap 3");
    List<Connection> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(Targets.connect(url, pooler.credentials()));
      }
      SQLException error = catchThrowableOfType(SQLException.class,
          () -> held.add(Targets.connect(url, pooler.credentials())));
      assertThat(error.getSQLState()).isEqualTo("08001");
      assertThat(error.getMessage()).contains("maxConnections=1", "nesting allowance of 2", "acquireTimeout");
      assertThat(Targets.clientsOf(pooler, application)).isEqualTo(3);
    } finally {
      for (Connection connection : held) {
        connection.close();
      }
    }
    // Connections above maxConnections close on release: back to one.
    assertThat(Targets.clientsOf(pooler, application)).isLessThanOrEqualTo(1);
  }

  /**
   * Handles dropped without {@code close()} come back once the garbage collector finds them unreachable: the pool
   * closes their physical connections and frees the slots, so a later {@code getConnection} succeeds.
   */
  @Test
  void abandonedHandlesAreReclaimed(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws Exception {
    String application = "abandoned";
    String url = Targets.through(pooler, application, "mode=transaction&maxConnections=2&acquireTimeout=1000");
    ExecutorService leakers = Executors.newFixedThreadPool(2);
    List<Future<?>> leaks = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      leaks.add(leakers.submit(() -> {
        Connection leaked = Targets.connect(url, pooler.credentials());
        return selectOne(leaked, "select 1"); // and never closed
      }));
    }
    for (Future<?> leak : leaks) {
      leak.get(30, TimeUnit.SECONDS);
    }
    leakers.shutdown();
    assertThat(Targets.clientsOf(pooler, application)).isEqualTo(2);
    Connection recovered = null;
    for (int attempt = 0; attempt < 20 && recovered == null; attempt++) {
      System.gc();
      try {
        recovered = Targets.connect(url, pooler.credentials());
      } catch (SQLException timedOut) {
        assertThat(timedOut.getSQLState()).isEqualTo("08001");
      }
    }
    assertThat(recovered).as("a connection after the abandoned ones were reclaimed").isNotNull();
    try (Connection connection = recovered) {
      assertThat(selectOne(connection, "select 8")).isEqualTo(8);
    }
  }

  /** Statements closed, or dropped without closing, are not kept alive by the connection that created them. */
  @Test
  void theConnectionDoesNotRetainClosedOrDroppedStatements(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    String url = Targets.through(pooler, "statements", "mode=transaction");
    try (Connection connection = Targets.connect(url, pooler.credentials())) {
      Statement closed = connection.createStatement();
      closed.close();
      WeakReference<Statement> closedRef = new WeakReference<>(closed);
      WeakReference<Statement> droppedRef = new WeakReference<>(connection.prepareStatement("select 1"));
      for (int i = 0; i < 10_000; i++) {
        connection.createStatement(); // dropped without close()
      }
      closed = null;
      for (int attempt = 0; attempt < 50 && (closedRef.get() != null || droppedRef.get() != null); attempt++) {
        System.gc();
      }
      assertThat(closedRef.get()).isNull();
      assertThat(droppedRef.get()).isNull();
      assertThat(selectOne(connection, "select 9")).isEqualTo(9);
    }
  }

  /**
   * 120 property sets (an {@code ApplicationName} each), each used once and closed: the process keeps at most 50
   * idle physical connections across all of them, closing the least recently used pools, so PgBouncer's client slots
   * (max_client_conn) are never exhausted by idle connections.
   */
  @Test
  void distinctPropertySetsCannotPileUpIdleConnections(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    String prefix = "many-sets-";
    for (int i = 0; i < 120; i++) {
      try (Connection connection = Targets.connect(Targets.through(pooler, prefix + i, "mode=transaction"),
          pooler.credentials())) {
        assertThat(selectOne(connection, "select " + i)).isEqualTo(i);
      }
    }
    long idleClients = pooler.admin().clients().stream()
        .filter(row -> row.getOrDefault("application_name", "").startsWith(prefix)).count();
    assertThat(idleClients).isLessThanOrEqualTo(50);
    // the most recent ones are still warm
    try (Connection connection = Targets.connect(Targets.through(pooler, prefix + 119, "mode=transaction"),
        pooler.credentials())) {
      assertThat(selectOne(connection, "select 1")).isEqualTo(1);
    }
  }

  /** Two handles open at once on one thread (the nesting allowance) never share a physical connection. */
  private static void assertLentOnceAtATime(String url, PgBouncerServer pooler) throws SQLException {
    for (int i = 0; i < 3; i++) {
      try (Connection first = Targets.connect(url, pooler.credentials());
          Connection second = Targets.connect(url, pooler.credentials())) {
        assertThat(first.unwrap(PGConnection.class)).isNotSameAs(second.unwrap(PGConnection.class));
        assertThat(selectOne(first, "select 1") + selectOne(second, "select 2")).isEqualTo(3);
      }
    }
  }

  private static int selectOne(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getInt(1);
    }
  }
}
