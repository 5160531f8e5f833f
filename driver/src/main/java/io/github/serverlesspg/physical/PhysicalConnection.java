package io.github.serverlesspg.physical;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One open pgjdbc connection owned by a {@link PhysicalPool}, with the times the pool needs to decide whether it may
 * be handed out again. Between borrow and release it belongs to one logical connection, so its mutable fields need
 * no synchronization of their own: the pool's lock orders the hand-over.
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
    /** Opened a connection beyond the limit for a thread that already holds one (closed on release). */
    OVERFLOW
  }

  private final Connection connection;
  private final long createdNanos;
  private final long retireAtNanos;
  private final boolean overflow;
  private long lastReleasedNanos;
  private boolean broken;
  private Origin origin;
  private long waitNanos;
  private long borrowedNanos;

  PhysicalConnection(Connection connection, long createdNanos, long lifetimeNanos, boolean overflow) {
    this.connection = connection;
    this.createdNanos = createdNanos;
    this.retireAtNanos = lifetimeNanos > 0 ? createdNanos + lifetimeNanos : Long.MAX_VALUE;
    this.overflow = overflow;
    this.lastReleasedNanos = createdNanos;
  }

  /** The pgjdbc connection. */
  public Connection connection() {
    return connection;
  }

  /** Marks the connection as unusable (a connection-class error was seen); it is closed on release. */
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

  boolean isOverflow() {
    return overflow;
  }

  void borrowed(Origin how, long waited, long now) {
    origin = how;
    waitNanos = waited;
    borrowedNanos = now;
  }

  /** How long the current borrower has held this connection, for {@code db.client.connection.use_time}. */
  long usedNanos(long now) {
    return now - borrowedNanos;
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
}
