package io.github.serverlesspg.physical;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts, per thread, the physical connections the thread holds from any pool of this driver.
 *
 * <p>This is what lets nested acquisition (Flyway holds 2–3 connections on one thread) go past
 * {@code maxConnections} by a small fixed allowance without waiting, so that it does not deadlock, while a thread
 * that holds nothing always queues. It spans all pools so that a thread holding a connection to A and asking for B is
 * recognised as nesting too. The counter is atomic because a handle may be closed by another thread than the one that
 * opened it (a watchdog's {@code abort}).
 */
final class HeldConnections {
  private static final ThreadLocal<AtomicInteger> COUNT = new ThreadLocal<AtomicInteger>() {
    // A subclass, not ThreadLocal.withInitial with a lambda: no lambda bootstrap on the first connect. The value is
    // a JDK class, so a thread that outlives a redeployed application does not pin the driver's class loader.
    @Override
    protected AtomicInteger initialValue() {
      return new AtomicInteger();
    }
  };

  private HeldConnections() {
  }

  /** The calling thread's counter; the pool keeps it with the borrow so that release works from any thread. */
  static AtomicInteger ofCurrentThread() {
    return COUNT.get();
  }
}
