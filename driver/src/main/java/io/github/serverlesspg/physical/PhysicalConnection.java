package io.github.serverlesspg.physical;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One open pgjdbc connection owned by a {@link PhysicalPool}, with the times the pool needs to decide whether it may
 * be handed out again.
 *
 * <p>Who may use it is one word changed only by compare-and-set, as the entries of HikariCP's {@code ConcurrentBag}:
 * idle, borrowed or removed, together with a lease number that grows with every borrow. A release names the lease
 * it ends, so releasing twice, releasing an idle connection or releasing a connection that has since been lent to
 * someone else all fail the compare-and-set and change nothing: one physical connection can never be lent twice.
 *
 * <p>The per-borrow fields are written by the borrowing thread before it publishes the connection, and read by the
 * releasing thread before its compare-and-set gives the connection up.
 */
public final class PhysicalConnection {
  /** How the last borrow obtained this connection. */
  public enum Origin {
    /** Reused an idle connection without a round trip. */
    WARM,
    /** Reused an idle connection after validating it. */
    VALIDATED,
    /** Opened a new connection. */
    COLD,
    /** Opened a new connection because the idle one failed validation. */
    REPLACED,
    /** Opened a connection beyond {@code maxConnections}, within the nesting allowance, for a thread that holds one. */
    OVERFLOW
  }

  private static final long IDLE = 0;
  private static final long BORROWED = 1;
  private static final long REMOVED = 2;
  private static final long KIND = 3;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(PhysicalConnection.class, "state", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Connection connection;
  private final long createdNanos;
  private final long retireAtNanos;
  /** {@code lease << 2 | kind}; only changed by compare-and-set. */
  private volatile long state;
  private volatile boolean broken;
  private long lastReleasedNanos;
  // Per borrow:
  private Origin origin;
  private long waitNanos;
  private long borrowedNanos;
  /**
   * The borrowing thread's {@link HeldConnections} counts, and the thread's id (not the thread: an idle connection
   * must not keep it, or an application class it may be an instance of, reachable).
   */
  private AtomicIntegerArray heldBy;
  private long borrowerId;
  /** Keeps the weak reference that notices an abandoned handle reachable while the handle is out. */
  Borrow borrow;

  PhysicalConnection(Connection connection, long createdNanos, long lifetimeNanos) {
    this.connection = connection;
    this.createdNanos = createdNanos;
    this.retireAtNanos = lifetimeNanos > 0 ? createdNanos + lifetimeNanos : Long.MAX_VALUE;
    this.lastReleasedNanos = createdNanos;
    this.state = (1L << 2) | BORROWED; // a new connection is born lent to whoever opened it
  }

  /** The pgjdbc connection. */
  public Connection connection() {
    return connection;
  }

  /** The number of the current borrow: what {@link PhysicalPool#release} needs to end exactly this borrow. */
  public long lease() {
    return state >>> 2;
  }

  /** Marks the connection as unusable (a connection-class error was seen, or it was aborted); closed on release. */
  public void markBroken() {
    broken = true;
  }

  public boolean isBroken() {
    return broken;
  }

  /** How the current borrow obtained this connection. */
  public Origin origin() {
    return origin;
  }

  /** How long the current borrower waited for a free connection, in nanoseconds. */
  public long waitNanos() {
    return waitNanos;
  }

  public long createdNanos() {
    return createdNanos;
  }

  // ---------------------------------------------------------------- state

  /** Idle to borrowed under the next lease; false if someone else got it first or it is not idle. */
  boolean tryBorrow() {
    long current = state;
    return (current & KIND) == IDLE && STATE.compareAndSet(this, current, ((current >>> 2) + 1) << 2 | BORROWED);
  }

  /** Borrowed under {@code lease} to idle. */
  boolean tryRelease(long lease) {
    return STATE.compareAndSet(this, lease << 2 | BORROWED, lease << 2 | IDLE);
  }

  /** Borrowed under {@code lease} to removed: the borrower gives it up for good. */
  boolean tryRemove(long lease) {
    return STATE.compareAndSet(this, lease << 2 | BORROWED, lease << 2 | REMOVED);
  }

  /** Idle to removed: nobody may borrow it any more. */
  boolean tryRemoveIdle() {
    long current = state;
    return (current & KIND) == IDLE && STATE.compareAndSet(this, current, (current & ~KIND) | REMOVED);
  }

  boolean isBorrowedUnder(long lease) {
    return state == (lease << 2 | BORROWED);
  }

  boolean isIdle() {
    return (state & KIND) == IDLE;
  }

  boolean isBorrowed() {
    return (state & KIND) == BORROWED;
  }

  // ---------------------------------------------------------------- bookkeeping of the current borrow

  /** On the borrowing thread. */
  void borrowed(Origin how, long waited, long now, AtomicIntegerArray held) {
    origin = how;
    waitNanos = waited;
    borrowedNanos = now;
    heldBy = held;
    borrowerId = Thread.currentThread().getId();
  }

  AtomicIntegerArray heldBy() {
    return heldBy;
  }

  long borrowerId() {
    return borrowerId;
  }

  long borrowedNanos() {
    return borrowedNanos;
  }

  void released(long now) {
    lastReleasedNanos = now;
  }

  long idleNanos(long now) {
    return now - lastReleasedNanos;
  }

  boolean isRetired(long now) {
    return now - retireAtNanos >= 0;
  }

  /** Closes the pgjdbc connection, ignoring errors: it is being discarded. */
  void closeQuietly() {
    try {
      connection.close();
    } catch (SQLException | RuntimeException ignored) {
      // The connection is discarded either way; a dead socket often fails to close cleanly.
    }
  }

  @Override
  public String toString() {
    long current = state;
    long kind = current & KIND;
    return "PhysicalConnection[" + (kind == IDLE ? "idle" : kind == BORROWED ? "borrowed" : "removed")
        + ", lease " + (current >>> 2) + (broken ? ", broken" : "") + "]";
  }
}
