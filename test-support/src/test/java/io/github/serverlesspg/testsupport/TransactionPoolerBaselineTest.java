package io.github.serverlesspg.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Documents the failure serverless-pg exists to fix: plain pgjdbc behind a transaction-mode PgBouncer. After
 * prepareThreshold (5) executions pgjdbc switches to named server-side statements (S_1, S_2…), which live on
 * one server connection, while the pooler hands each transaction to whichever server connection is free.
 */
@RealDatabase
class TransactionPoolerBaselineTest {

  private static final int THREADS = 20;
  private static final int ITERATIONS = 50;

  @Test
  void plainPgjdbcDefaultsBreakOnNamedPreparedStatements(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws Exception {
    // fewer server connections than clients, so clients share server connections
    assertThat(DatabaseEnvironment.DEFAULT_POOL_SIZE).isLessThan(THREADS);

    List<SQLException> failures;
    try {
      failures = runWorkload(pooler.jdbcUrl(), pooler);
    } finally {
      // server connections now hold leftover S_n statements; later tests must not inherit them
      pooler.reconnect();
    }

    assertThat(failures).isNotEmpty();
    assertThat(failures).allSatisfy(failure -> {
      assertThat(failure.getSQLState()).isIn("42P05", "26000");
      assertThat(failure.getMessage()).containsPattern("prepared statement \"S_\\d+\" (already exists|does not exist)");
    });
  }

  @Test
  void unnamedStatementsSurviveTheSameWorkload(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws Exception {
    assertThat(runWorkload(pooler.jdbcUrl() + "?prepareThreshold=0", pooler)).isEmpty();
  }

  /** Each thread runs one PreparedStatement on its own connection; returns each thread's first failure. */
  private static List<SQLException> runWorkload(String url, PgBouncerServer pooler) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService executor = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<SQLException>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        results.add(executor.submit(() -> {
          try (Connection connection = DriverManager.getConnection(url, pooler.credentials());
              PreparedStatement statement = connection.prepareStatement("SELECT ?::int + 1")) {
            start.await(30, TimeUnit.SECONDS);
            for (int i = 0; i < ITERATIONS; i++) {
              statement.setInt(1, i);
              try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(i + 1);
              }
            }
            return null;
          } catch (SQLException e) {
            return e;
          }
        }));
      }
      List<SQLException> failures = new ArrayList<>();
      for (Future<SQLException> result : results) {
        SQLException failure = result.get(2, TimeUnit.MINUTES);
        if (failure != null) {
          failures.add(failure);
        }
      }
      return failures;
    } finally {
      executor.shutdownNow();
    }
  }
}
