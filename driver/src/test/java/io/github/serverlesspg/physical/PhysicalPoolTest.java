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
    pool.release(first, first.lease());
    for (int i = 0; i < 100; i++) {
      PhysicalConnection again = pool.borrow();
      assertThat(again).isSameAs(first);
      assertThat(again.origin()).isEqualTo(PhysicalConnection.Origin.WARM);
      pool.release(again, again.lease());
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
    pool.release(deeper, deeper.lease());
    pool.release(nested, nested.lease());
    assertThat(connector.open).hasValue(1); // overflow connections close on release
    pool.release(outer, outer.lease());
    assertThat(pool.stats().idle()).isEqualTo(1);
  }

  /**
   * A connection released on another thread (a handle passed on, a watchdog's abort) no longer counts as held by the
   * thread that borrowed it, and one that thread still holds keeps counting, whichever thread released the others.
   */
  @Test
  void releasesOnOtherThreadsKeepEachThreadsNestingCountExact() throws Exception {
    PhysicalPool pool = pool(1, 200);
    // A thread of its own: the counts of the test thread carry whatever earlier tests left borrowed.
    ExecutorService owner = Executors.newSingleThreadExecutor();
    ExecutorService other = Executors.newSingleThreadExecutor();
    ExecutorService third = Executors.newSingleThreadExecutor();
    try {
      owner.submit(() -> {
        for (int round = 0; round < 3; round++) {
          PhysicalConnection passedOn = pool.borrow();
          assertThat(other.submit(() -> pool.release(passedOn, passedOn.lease())).get(10, TimeUnit.SECONDS))
              .isTrue();
        }
        PhysicalConnection elsewhere = third.submit(pool::borrow).get(10, TimeUnit.SECONDS);
        // The owner holds nothing now: no nesting allowance, it waits for the one connection and times out.
        assertThatThrownBy(pool::borrow).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(third.submit(() -> pool.release(elsewhere, elsewhere.lease())).get(10, TimeUnit.SECONDS))
            .isTrue();

        PhysicalConnection outer = pool.borrow();
        PhysicalConnection nested = pool.borrow();
        assertThat(nested.origin()).isEqualTo(PhysicalConnection.Origin.OVERFLOW);
        assertThat(other.submit(() -> pool.release(nested, nested.lease())).get(10, TimeUnit.SECONDS)).isTrue();
        // Still holding the outer one: nesting again is allowed.
        PhysicalConnection again = pool.borrow();
        assertThat(again.origin()).isEqualTo(PhysicalConnection.Origin.OVERFLOW);
        pool.release(again, again.lease());
        pool.release(outer, outer.lease());
        return null;
      }).get(30, TimeUnit.SECONDS);
      assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::idle).containsExactly(0, 1);
    } finally {
      owner.shutdownNow();
      other.shutdownNow();
      third.shutdownNow();
    }
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
      pool.release(held, held.lease());
    }
  }

  @Test
  void aWaiterGetsTheConnectionReleasedByAnotherThread() throws Exception {
    PhysicalPool pool = pool(1, 10_000);
    PhysicalConnection held = pool.borrow();
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
      pool.release(held, held.lease());
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
            pool.release(second, second.lease());
          }
          pool.release(first, first.lease());
        }
        return null;
      }));
    }
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    executor.shutdown();
    assertThat(nestedCycles.get()).isPositive();
    // Never more than the limit plus the nesting allowance, however many threads nest at once.
    assertThat(connector.maxOpen.get()).isLessThanOrEqualTo(2 + PoolSettings.DEFAULT_NESTING_ALLOWANCE);
    assertThat(pool.stats().total()).isLessThanOrEqualTo(2);
    assertThat(pool.stats().active()).isZero();
  }

  @Test
  void aFailedValidationIsReplacedWithoutAnError() throws SQLException {
    PhysicalPool pool = new PhysicalPool("test:5432/db", new PoolSettings(true, 1, 1000, 0, 1000, 0, 0, 0),
        connector, PoolObserver.NONE);
    PhysicalConnection first = pool.borrow();
    pool.release(first, first.lease());
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
    pool.release(first, first.lease());
    assertThat(connector.open).hasValue(0);
    assertThat(pool.borrow()).isNotSameAs(first);
  }

  @Test
  void reuseFalseClosesEveryConnectionOnRelease() throws SQLException {
    PhysicalPool pool = new PhysicalPool("test:5432/db", new PoolSettings(false, 1, 1000, 500, 1000, 0, 0, 0),
        connector, PoolObserver.NONE);
    for (int i = 0; i < 3; i++) {
      PhysicalConnection c = pool.borrow();
      pool.release(c, c.lease());
    }
    assertThat(connector.opened).hasValue(3);
    assertThat(connector.open).hasValue(0);
  }

  @Test
  void closeIdleForACheckpointClosesIdleConnectionsAndTheNextBorrowReconnects() throws SQLException {
    PhysicalPool pool = pool(2, 1000);
    PhysicalConnection c = pool.borrow();
    pool.release(c, c.lease());
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
    pool.release(first, first.lease());
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
    pool.release(first, first.lease());
    now[0] += TimeUnit.SECONDS.toNanos(58); // within lifetime minus the largest jitter (2.5%)
    assertThat(pool.borrow()).isSameAs(first);
    now[0] += TimeUnit.SECONDS.toNanos(2);
    pool.release(first, first.lease()); // retired on release
    assertThat(connector.open).hasValue(0);
    assertThat(pool.borrow()).isNotSameAs(first);
  }

  @Test
  void aSecondOrStaleReleaseChangesNothing() throws SQLException {
    PhysicalPool pool = pool(1, 200);
    PhysicalConnection connection = pool.borrow();
    long first = connection.lease();
    assertThat(pool.release(connection, first)).isTrue();
    assertThat(pool.release(connection, first)).isFalse();
    PhysicalConnection again = pool.borrow();
    assertThat(again).isSameAs(connection);
    assertThat(pool.release(connection, first)).as("the first borrow's lease cannot end the second").isFalse();
    assertThat(pool.stats().active()).isEqualTo(1);
    assertThat(pool.stats().idle()).isZero();
    assertThat(pool.release(again, again.lease())).isTrue();
    assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::idle, PoolStats::total).containsExactly(0, 1, 1);
  }

  /** 100,000 double releases from two threads: each borrow ends exactly once. */
  @Test
  void racingReleasesOfOneBorrowEndItOnce() throws Exception {
    PhysicalPool pool = pool(1, 1000);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      int iterations = 100_000;
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      int wins = 0;
      for (int i = 0; i < iterations; i++) {
        PhysicalConnection connection = pool.borrow();
        long lease = connection.lease();
        Future<Boolean> racer = other.submit(() -> {
          start.await();
          return pool.release(connection, lease);
        });
        start.await();
        boolean mine = pool.release(connection, lease);
        boolean theirs = racer.get(10, TimeUnit.SECONDS);
        assertThat(mine ^ theirs).as("iteration %d: exactly one release wins", i).isTrue();
        wins++;
      }
      assertThat(wins).isEqualTo(iterations);
    } finally {
      other.shutdownNow();
    }
    assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::idle, PoolStats::total).containsExactly(0, 1, 1);
    assertThat(connector.opened).hasValue(1);
  }

  @Test
  void waitersAreServedInArrivalOrder() throws Exception {
    PhysicalPool pool = pool(1, 30_000);
    PhysicalConnection held = pool.borrow();
    int waiters = 6;
    List<Integer> served = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService executor = Executors.newFixedThreadPool(waiters);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < waiters; i++) {
        int index = i;
        futures.add(executor.submit(() -> {
          PhysicalConnection connection = pool.borrow();
          served.add(index);
          pool.release(connection, connection.lease());
          return null;
        }));
        while (pool.stats().waiting() != i + 1) {
          Thread.onSpinWait();
        }
      }
      pool.release(held, held.lease());
      for (Future<?> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      executor.shutdownNow();
    }
    assertThat(served).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void anAbandonedBorrowIsReclaimedOnceItsHandleIsUnreachable() throws Exception {
    List<String> closed = java.util.Collections.synchronizedList(new ArrayList<>());
    PhysicalPool pool = new PhysicalPool("test:5432/db",
        new PoolSettings(true, 1, 300, 500, 1000, 600_000, 1_800_000, 0), connector, new PoolObserver() {
          @Override
          public void closed(String reason) {
            closed.add(reason);
          }
        });
    ExecutorService other = Executors.newSingleThreadExecutor();
    PhysicalConnection abandoned = other.submit(() -> {
      PhysicalConnection connection = pool.borrow();
      pool.watch(connection, new Object(), new Throwable("opened here"));
      return connection;
    }).get(10, TimeUnit.SECONDS);
    other.shutdown();
    ExecutorService fresh = Executors.newSingleThreadExecutor();
    PhysicalConnection next = null;
    for (int attempt = 0; attempt < 50 && next == null; attempt++) {
      System.gc();
      try {
        // On a thread that holds nothing, so that it gets no nesting allowance and must wait for the slot.
        next = fresh.submit(pool::borrow).get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException stillHeld) {
        assertThat(stillHeld).hasCauseInstanceOf(SQLTransientConnectionException.class);
      }
    }
    fresh.shutdown();
    assertThat(next).isNotNull().isNotSameAs(abandoned);
    assertThat(closed).containsExactly("abandoned");
    assertThat(connector.open).hasValue(1);
    assertThat(pool.release(abandoned, abandoned.lease())).isFalse();
  }
}
