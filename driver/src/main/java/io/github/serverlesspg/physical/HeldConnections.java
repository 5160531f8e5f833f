package io.github.serverlesspg.physical;

/**
 * Counts, per thread, the physical connections the thread holds from any pool of this driver.
 *
 * <p>This is what makes nested acquisition deadlock-free: a thread that holds a connection never waits for another
 * (it gets an overflow connection instead), so every waiting thread holds nothing, and no thread can wait for a
 * connection held by a waiter. It spans all pools so that a thread holding a connection to A and asking for B cannot
 * deadlock with a thread doing the opposite.
 */
final class HeldConnections {
  private static final ThreadLocal<int[]> COUNT = new ThreadLocal<int[]>() {
    // A subclass, not ThreadLocal.withInitial with a lambda: no lambda bootstrap on the first connect.
    @Override
    protected int[] initialValue() {
      return new int[1];
    }
  };

  private HeldConnections() {
  }

  /** The calling thread's counter; the borrower keeps it so that release works from any thread. */
  static int[] ofCurrentThread() {
    return COUNT.get();
  }
}
