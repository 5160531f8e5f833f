package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The failures the product exists to fix, through a real transaction-mode PgBouncer. */
@RealDatabase
class TransactionPoolerTest {

  /** The foundation's baseline workload (plain pgjdbc fails it with 42P05 / 26000) passes through the driver. */
  @Test
  void repeatedPreparedQueriesFromManyThreadsNeverHitPreparedStatementErrors(
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws Exception {
    String url = Targets.through(pooler, "prepared-workload", "mode=transaction&maxConnections=20");
    List<Throwable> failures = runPreparedWorkload(url, pooler.credentials(), 20, 50);
    assertThat(failures).isEmpty();
  }

  /**
   * 50 clients at once against PostgreSQL's max_connections=30: through the transaction pooler all succeed; straight
   * to PostgreSQL (direct mode) the excess fail with 53300, as plain pgjdbc would. Every client holds its own
   * physical connection (maxConnections=50), as 50 serverless instances would.
   */
  @Test
  void fiftyConcurrentClientsFitThroughThePoolerButNotDirectly(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler,
      PostgresServer postgres) throws Exception {
    List<SQLException> pooled = fiftyConcurrentClients(
        Targets.through(pooler, "explosion-pooled", "mode=transaction&maxConnections=50"), pooler.credentials());
    assertThat(pooled).isEmpty();

    try {
      List<SQLException> direct = fiftyConcurrentClients(
          Targets.direct(postgres, "explosion-direct", "mode=direct&maxConnections=50"), postgres.credentials());
      assertThat(direct).isNotEmpty().allSatisfy(e -> assertThat(e.getSQLState()).isEqualTo("53300"));
    } finally {
      // The survivors stay open in the process-wide cache; give PostgreSQL's slots back to the other tests.
      PhysicalConnectionCache.global().closeAll("test finished");
    }
  }

  private static List<SQLException> fiftyConcurrentClients(String url, Properties credentials) throws Exception {
    int clients = 50;
    ConcurrentLinkedQueue<SQLException> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch allConnected = new CountDownLatch(clients);
    ExecutorService executor = Executors.newFixedThreadPool(clients);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      futures.add(executor.submit(() -> {
        Connection connection = null;
        try {
          connection = Targets.connect(url, credentials);
        } catch (SQLException e) {
          failures.add(e);
        } finally {
          allConnected.countDown();
        }
        if (connection == null) {
          return null;
        }
        try (Connection open = connection) {
          // Everyone holds a connection at the same time before querying, as concurrent instances would.
          allConnected.await(30, TimeUnit.SECONDS);
          try (PreparedStatement statement = open.prepareStatement("select pg_sleep(0.05), ?::int")) {
            statement.setInt(1, 1);
            statement.executeQuery().close();
          }
        } catch (SQLException e) {
          failures.add(e);
        }
        return null;
      }));
    }
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    executor.shutdown();
    return new ArrayList<>(failures);
  }

  static List<Throwable> runPreparedWorkload(String url, Properties credentials, int threads, int iterations)
      throws Exception {
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(executor.submit(() -> {
        try (Connection connection = Targets.connect(url, credentials)) {
          for (int i = 0; i < iterations; i++) {
            try (PreparedStatement statement = connection.prepareStatement("select ?::int + 1, current_user")) {
              statement.setInt(1, i);
              try (ResultSet result = statement.executeQuery()) {
                result.next();
                assertThat(result.getInt(1)).isEqualTo(i + 1);
              }
            }
          }
        } catch (SQLException | RuntimeException e) {
          failures.add(e);
        }
        return null;
      }));
    }
    for (Future<?> future : futures) {
      future.get(120, TimeUnit.SECONDS);
    }
    executor.shutdown();
    return new ArrayList<>(failures);
  }
}
