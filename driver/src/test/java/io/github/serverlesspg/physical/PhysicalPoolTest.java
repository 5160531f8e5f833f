package io.github.serverlesspg.physical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.routing.PoolSettings;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PhysicalPoolTest {
  private final StubConnections connector = new StubConnections();

  private PhysicalPool pool(int max, long acquireTimeoutMillis) {
    return new PhysicalPool("test:5432/db",
        new PoolSettings(true, max, acquireTimeoutMillis, 500, 1000, 600_000, 1_800_000, 0), connector,
        PoolObserver.NONE);
  }

  @Test
  void warmBorrowReusesTheSameConnection() throws SQLException {
    PhysicalPool pool = pool(1, 1000);
    PhysicalConnection first = pool.borrow();
    assertThat(first.origin()).isEqualTo(PhysicalConnection.Origin.COLD);
    pool.release(first, PhysicalPool.heldCounter());
    for (int i = 0; i < 100; i++) {
      PhysicalConnection again = pool.borrow();
      assertThat(again).isSameAs(first);
      assertThat(again.origin()).isEqualTo(PhysicalConnection.Origin.WARM);
      pool.release(again, PhysicalPool.heldCounter());
    }
    assertThat(connector.opened).hasValue(1);
  }

  @Test
  void nestedBorrowOnOneThreadGetsAnOverflowConnectionInsteadOfDeadlocking() throws SQLException {
    PhysicalPool pool = pool(1, 60_000);
    PhysicalConnection outer = pool.borrow();
    PhysicalConnection nested = pool.borrow();
    PhysicalConnection deeper = pool.borrow();
    assertThat(nested.origin()).isEqualTo(PhysicalConnection.Origin.OVERFLOW);
    assertThat(deeper.origin()).isEqualTo(PhysicalConnection.Origin.OVERFLOW);
    assertThat(pool.stats().total()).isEqualTo(3);
    pool.release(deeper, PhysicalPool.heldCounter());
    pool.release(nested, PhysicalPool.heldCounter());
    assertThat(connector.open).hasValue(1); // overflow connections close on release
    pool.release(outer, PhysicalPool.heldCounter());
    assertThat(pool.stats().idle()).isEqualTo(1);
  }

  @Test
  void callersWaitThenTimeOutWithTheLimitInTheMessage() throws Exception {
    PhysicalPool pool = pool(1, 200);
    PhysicalConnection held = pool.borrow();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<?> attempt = other.submit(() -> {
        pool.borrow();
        return null;
      });
      assertThatThrownBy(attempt::get).hasCauseInstanceOf(SQLTransientConnectionException.class)
          .cause().hasMessageContaining("maxConnections=1").hasMessageContaining("acquireTimeout")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    } finally {
      other.shutdownNow();
      pool.release(held, PhysicalPool.heldCounter());
    }
  }

  @Test
  void aWaiterGetsTheConnectionReleasedByAnotherThread() throws Exception {
    PhysicalPool pool = pool(1, 10_000);
    PhysicalConnection held = pool.borrow();
    int[] holder = PhysicalPool.heldCounter();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch started = new CountDownLatch(1);
      Future<PhysicalConnection> waiter = other.submit(() -> {
        started.countDown();
        return pool.borrow();
      });
      started.await();
      while (pool.stats().waiting() == 0) {
        Thread.onSpinWait();
      }
      pool.release(held, holder);
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isSameAs(held);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void manyThreadsNeverExceedTheLimitPlusOverflowAndNeverDeadlock() throws Exception {
    PhysicalPool pool = pool(2, 30_000);
    int threads = 64;
    AtomicInteger nestedCycles = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(executor.submit(() -> {
        for (int i = 0; i < 200; i++) {
          PhysicalConnection first = pool.borrow();
          if ((i + thread) % 10 == 0) {
            // Flyway-style: holds one connection and asks for another.
            PhysicalConnection second = pool.borrow();
            nestedCycles.incrementAndGet();
            pool.release(second, PhysicalPool.heldCounter());
          }
          pool.release(first, PhysicalPool.heldCounter());
        }
        return null;
      }));
    }
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    executor.shutdown();
    assertThat(nestedCycles.get()).isPositive();
    // At most the limit plus one overflow connection per thread that nests.
    assertThat(connector.maxOpen.get()).isLessThanOrEqualTo(2 + threads);
    assertThat(pool.stats().total()).isLessThanOrEqualTo(2);
    assertThat(pool.stats().active()).isZero();
  }

  @Test
  void aFailedValidationIsReplacedWithoutAnError() throws SQLException {
    PhysicalPool pool = new PhysicalPool("test:5432/db", new PoolSettings(true, 1, 1000, 0, 1000, 0, 0, 0),
        connector, PoolObserver.NONE);
    PhysicalConnection first = pool.borrow();
    pool.release(first, PhysicalPool.heldCounter());
    connector.valid = false;
    PhysicalConnection replaced = pool.borrow();
    assertThat(replaced).isNotSameAs(first);
    assertThat(replaced.origin()).isEqualTo(PhysicalConnection.Origin.REPLACED);
    assertThat(connector.open).hasValue(1);
  }

  @Test
  void brokenConnectionsAreClosedOnRelease() throws SQLException {
    PhysicalPool pool = pool(1, 1000);
    PhysicalConnection first = pool.borrow();
    first.markBroken();
    pool.release(first, PhysicalPool.heldCounter());
    assertThat(connector.open).hasValue(0);
    assertThat(pool.borrow()).isNotSameAs(first);
  }

  @Test
  void reuseFalseClosesEveryConnectionOnRelease() throws SQLException {
    PhysicalPool pool = new PhysicalPool("test:5432/db", new PoolSettings(false, 1, 1000, 500, 1000, 0, 0, 0),
        connector, PoolObserver.NONE);
    for (int i = 0; i < 3; i++) {
      pool.release(pool.borrow(), PhysicalPool.heldCounter());
    }
    assertThat(connector.opened).hasValue(3);
    assertThat(connector.open).hasValue(0);
  }

  @Test
  void closeIdleForACheckpointClosesIdleConnectionsAndTheNextBorrowReconnects() throws SQLException {
    PhysicalPool pool = pool(2, 1000);
    pool.release(pool.borrow(), PhysicalPool.heldCounter());
    pool.closeIdle("checkpoint");
    assertThat(connector.open).hasValue(0);
    PhysicalConnection fresh = pool.borrow();
    assertThat(fresh.origin()).isEqualTo(PhysicalConnection.Origin.COLD);
    assertThat(connector.opened).hasValue(2);
  }

  @Test
  void idleConnectionsPastIdleTimeoutAreClosedOnTheNextBorrow() throws SQLException {
    long[] now = {0};
    PhysicalPool pool = new PhysicalPool("test:5432/db", new PoolSettings(true, 1, 1000, 500, 1000, 10_000, 0, 0),
        connector, PoolObserver.NONE, () -> now[0]);
    PhysicalConnection first = pool.borrow();
    pool.release(first, PhysicalPool.heldCounter());
    now[0] += TimeUnit.SECONDS.toNanos(11);
    PhysicalConnection next = pool.borrow();
    assertThat(next).isNotSameAs(first);
    assertThat(next.origin()).isEqualTo(PhysicalConnection.Origin.COLD);
    assertThat(connector.open).hasValue(1);
  }

  @Test
  void connectionsRetireAfterMaxLifetimeWithJitterBelowTheLimit() throws SQLException {
    long[] now = {0};
    PhysicalPool pool = new PhysicalPool("test:5432/db",
        new PoolSettings(true, 1, 1000, Long.MAX_VALUE / 2_000_000, 1000, 0, 60_000, 0), connector,
        PoolObserver.NONE, () -> now[0]);
    PhysicalConnection first = pool.borrow();
    pool.release(first, PhysicalPool.heldCounter());
    now[0] += TimeUnit.SECONDS.toNanos(58); // within lifetime minus the largest jitter (2.5%)
    assertThat(pool.borrow()).isSameAs(first);
    now[0] += TimeUnit.SECONDS.toNanos(2);
    pool.release(first, PhysicalPool.heldCounter()); // retired on release
    assertThat(connector.open).hasValue(0);
    assertThat(pool.borrow()).isNotSameAs(first);
  }
}
