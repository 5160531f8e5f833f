package io.github.serverlesspg.physical;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Counts, per thread, the physical connections the thread holds from any pool of this driver.
 *
 * <p>This is what lets nested acquisition (Flyway holds 2–3 connections on one thread) go past
 * {@code maxConnections} by a small fixed allowance without waiting, so that it does not deadlock, while a thread
 * that holds nothing always queues. It spans all pools so that a thread holding a connection to A and asking for B is
 * recognised as nesting too.
 *
 * <p>A thread's counts are two numbers, so that the warm path needs no atomic instruction: its borrows less the
 * releases made on the thread itself, written by that thread alone with plain writes, and the releases made on other
 * threads (a watchdog's {@code abort}, a handle passed on, a reclaim), counted atomically. The value is a JDK class, so
 * a thread that outlives a redeployed application does not pin the driver's class loader.
 */
final class HeldConnections {
  /** Borrows less releases on the owning thread; written by that thread only. */
  private static final int ON_OWNER = 0;
  /** Releases on other threads. */
  private static final int ELSEWHERE = 1;

  private static final ThreadLocal<AtomicIntegerArray> COUNTS = new ThreadLocal<AtomicIntegerArray>() {
    // A subclass, not ThreadLocal.withInitial with a lambda: no lambda bootstrap on the first connect.
    @Override
    protected AtomicIntegerArray initialValue() {
      return new AtomicIntegerArray(2);
    }
  };

  private HeldConnections() {
  }

  /** The calling thread's counts; the pool keeps them with the borrow so that release works from any thread. */
  static AtomicIntegerArray ofCurrentThread() {
    return COUNTS.get();
  }

  /** Whether the calling thread, whose counts these are, holds a connection. */
  static boolean holdsAny(AtomicIntegerArray counts) {
    // Differences stay right when either number wraps around.
    return counts.getPlain(ON_OWNER) - counts.get(ELSEWHERE) > 0;
  }

  /** The calling thread, whose counts these are, borrowed a connection. */
  static void borrowed(AtomicIntegerArray counts) {
    counts.setPlain(ON_OWNER, counts.getPlain(ON_OWNER) + 1);
  }

  /**
   * A connection borrowed by the thread with id {@code ownerId}, whose counts these are, was released (or reclaimed)
   * by the caller. Thread ids are never reused.
   */
  static void released(AtomicIntegerArray counts, long ownerId) {
    if (Thread.currentThread().getId() == ownerId) {
      counts.setPlain(ON_OWNER, counts.getPlain(ON_OWNER) - 1);
    } else {
      counts.getAndIncrement(ELSEWHERE);
    }
  }
}
