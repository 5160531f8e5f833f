package io.github.serverlesspg.physical;

import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.routing.PoolSettings;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The physical connections of one target (one cache key): at most {@code maxConnections} of them, handed out one
 * borrower at a time, warmest first.
 *
 * <p>Locking: one {@link ReentrantLock} per pool guards the counters and the idle stack, never held across network
 * I/O (opening, validating and closing connections happen outside it). Waiting uses a {@link Condition}, which parks
 * virtual threads without pinning their carrier.
 *
 * <p>Nothing runs in the background: idle timeout and lifetime are checked when a connection is borrowed or
 * released, which suits serverless processes that are frozen between requests.
 */
public final class PhysicalPool {
  private final String target;
  private final PoolSettings settings;
  private final Connector connector;
  private final PoolObserver observer;
  private final LongSupplier nanoClock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private final ArrayDeque<PhysicalConnection> idle = new ArrayDeque<>();
  private final long validationWindowNanos;
  private final long idleTimeoutNanos;
  private final long lifetimeNanos;
  private int open;
  private int active;
  private int overflowActive;
  private int waiting;
  /** Volatile so that a cached reference can tell cheaply that the pool was closed. */
  private volatile boolean closed;
  /** When a connection was last borrowed or released, for dropping targets nobody uses. */
  private long lastActivity;

  /**
   * @param target where the connections go ({@code host:port/database}), for messages; no credentials
   */
  public PhysicalPool(String target, PoolSettings settings, Connector connector, PoolObserver observer) {
    this(target, settings, connector, observer, SystemClock.INSTANCE);
  }

  /** {@link System#nanoTime()}; a class rather than a method reference, to keep lambda bootstraps off the cold path. */
  private static final class SystemClock implements LongSupplier {
    static final SystemClock INSTANCE = new SystemClock();

    @Override
    public long getAsLong() {
      return System.nanoTime();
    }
  }

  /** With a clock of its own, so that tests of idle timeout and lifetime need not wait for real time to pass. */
  PhysicalPool(String target, PoolSettings settings, Connector connector, PoolObserver observer,
      LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.target = target;
    this.settings = settings;
    this.connector = connector;
    this.observer = observer;
    this.validationWindowNanos = TimeUnit.MILLISECONDS.toNanos(settings.validationWindowMillis());
    this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMillis());
    this.lifetimeNanos = TimeUnit.MILLISECONDS.toNanos(settings.maxLifetimeMillis());
    this.lastActivity = nanoClock.getAsLong();
  }

  /**
   * Hands out a physical connection: an idle one (validated if it was idle longer than the validation window, and
   * replaced without an error if it is dead), a new one while fewer than {@code maxConnections} are open, an overflow
   * one if the calling thread already holds a connection, or the next one released within {@code acquireTimeout}.
   *
   * @return the connection, or null when the pool was closed meanwhile (the caller asks the cache again)
   * @throws SQLException 08001 on timeout, or pgjdbc's exception when a new connection cannot be opened
   */
  public PhysicalConnection borrow() throws SQLException {
    int[] held = HeldConnections.ofCurrentThread();
    long start = nanoClock.getAsLong();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(settings.acquireTimeoutMillis());
    List<PhysicalConnection> stale = null;
    PhysicalConnection candidate = null;
    boolean overflow = false;
    lock.lock();
    try {
      while (true) {
        if (closed) {
          return null;
        }
        long now = nanoClock.getAsLong();
        while ((candidate = idle.pollFirst()) != null && isStale(candidate, now)) {
          open--;
          stale = addTo(stale, candidate);
        }
        if (candidate != null) {
          break;
        }
        if (open < settings.maxConnections()) {
          open++;
          break;
        }
        if (held[0] > 0) {
          overflow = true;
          break;
        }
        long remaining = deadline - now;
        if (remaining <= 0) {
          observer.timedOut();
          throw timeout();
        }
        waiting++;
        try {
          released.awaitNanos(remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw SqlStates.unableToConnect("Interrupted while waiting for a physical connection to " + target, e);
        } finally {
          waiting--;
        }
      }
      if (overflow) {
        overflowActive++;
      } else {
        active++;
      }
      lastActivity = start;
    } finally {
      lock.unlock();
    }
    closeAll(stale, "idle timeout or lifetime");
    long waited = nanoClock.getAsLong() - start;
    PhysicalConnection connection;
    try {
      connection = candidate != null ? revalidate(candidate, waited)
          : create(overflow ? PhysicalConnection.Origin.OVERFLOW : PhysicalConnection.Origin.COLD, overflow, waited);
    } catch (SQLException | RuntimeException | Error e) {
      forget(overflow);
      throw e;
    }
    held[0]++;
    return connection;
  }

  /**
   * Takes a connection back from its borrower. It goes back on the idle stack unless it is broken, an overflow
   * connection, past its lifetime, or the pool does not reuse connections or is closed; then it is closed.
   *
   * @param held the borrowing thread's counter, from {@link #heldCounter()} at borrow time
   */
  public void release(PhysicalConnection connection, int[] held) {
    held[0]--;
    long now = nanoClock.getAsLong();
    observer.released(connection.usedNanos(now));
    connection.released(now);
    String closeReason = connection.isBroken() ? "broken"
        : connection.isOverflow() ? "overflow"
        : !settings.reuse() ? "reuse=false"
        : connection.isRetired(now) ? "lifetime"
        : null;
    lock.lock();
    try {
      lastActivity = now;
      if (connection.isOverflow()) {
        overflowActive--;
      } else {
        active--;
        if (closeReason == null && closed) {
          closeReason = "pool closed";
        }
        if (closeReason == null) {
          idle.addFirst(connection);
        } else {
          open--;
        }
        released.signal();
      }
    } finally {
      lock.unlock();
    }
    if (closeReason != null) {
      connection.closeQuietly();
      observer.closed(closeReason);
    }
  }

  /** The calling thread's held-connection counter, to pass back to {@link #release}. */
  public static int[] heldCounter() {
    return HeldConnections.ofCurrentThread();
  }

  /** Closes every idle connection now (before a CRaC checkpoint, say); borrowed ones stay with their borrowers. */
  public void closeIdle(String reason) {
    List<PhysicalConnection> drained;
    lock.lock();
    try {
      drained = new ArrayList<>(idle);
      idle.clear();
      open -= drained.size();
      released.signalAll();
    } finally {
      lock.unlock();
    }
    closeAll(drained, reason);
  }

  /** Closes idle connections and makes borrowed ones close on release; later borrows return null. */
  public void close(String reason) {
    lock.lock();
    try {
      closed = true;
      released.signalAll();
    } finally {
      lock.unlock();
    }
    closeIdle(reason);
  }

  /** A consistent snapshot of the counters, for health reports and metrics. */
  public PoolStats stats() {
    lock.lock();
    try {
      return new PoolStats(active + overflowActive, idle.size(), open + overflowActive, waiting,
          settings.maxConnections());
    } finally {
      lock.unlock();
    }
  }

  public String target() {
    return target;
  }

  /** Whether the pool was closed (target idle, checkpoint, shutdown): its owner looks the target's pool up again. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Whether nobody has borrowed or released a connection for the idle timeout and none is lent out: the whole
   * target can go. Never with idle timeout 0 (keep forever).
   */
  boolean isIdleTarget() {
    if (idleTimeoutNanos <= 0) {
      return false;
    }
    lock.lock();
    try {
      return active == 0 && overflowActive == 0 && waiting == 0
          && nanoClock.getAsLong() - lastActivity > idleTimeoutNanos;
    } finally {
      lock.unlock();
    }
  }

  public PoolSettings settings() {
    return settings;
  }

  private boolean isStale(PhysicalConnection connection, long now) {
    return connection.isRetired(now) || (idleTimeoutNanos > 0 && connection.idleNanos(now) > idleTimeoutNanos);
  }

  private PhysicalConnection revalidate(PhysicalConnection connection, long waited) throws SQLException {
    long now = nanoClock.getAsLong();
    if (connection.idleNanos(now) <= validationWindowNanos) {
      connection.borrowed(PhysicalConnection.Origin.WARM, waited, now);
      return connection;
    }
    boolean valid;
    try {
      valid = connection.connection().isValid(validationTimeoutSeconds());
    } catch (SQLException e) {
      valid = false;
    }
    long validated = nanoClock.getAsLong();
    observer.validated(valid, validated - now);
    if (valid) {
      connection.borrowed(PhysicalConnection.Origin.VALIDATED, waited, validated);
      return connection;
    }
    connection.closeQuietly();
    observer.closed("failed validation");
    return create(PhysicalConnection.Origin.REPLACED, false, waited);
  }

  private int validationTimeoutSeconds() {
    // isValid takes whole seconds, and 0 would mean "no timeout": round up, at least 1.
    return (int) Math.max(1, (settings.validationTimeoutMillis() + 999) / 1000);
  }

  private PhysicalConnection create(PhysicalConnection.Origin origin, boolean overflow, long waited)
      throws SQLException {
    long start = nanoClock.getAsLong();
    PhysicalConnection connection = new PhysicalConnection(connector.open(), start, jitteredLifetime(), overflow);
    long created = nanoClock.getAsLong();
    observer.created(created - start, origin.name().toLowerCase(java.util.Locale.ROOT));
    connection.borrowed(origin, waited, created);
    return connection;
  }

  /** Up to 2.5% less than the configured lifetime, so that connections opened together do not retire together. */
  private long jitteredLifetime() {
    if (lifetimeNanos <= 0) {
      return 0;
    }
    return lifetimeNanos - ThreadLocalRandom.current().nextLong(lifetimeNanos / 40 + 1);
  }

  /** Undoes the bookkeeping of a borrow whose connection could not be opened. */
  private void forget(boolean overflow) {
    lock.lock();
    try {
      if (overflow) {
        overflowActive--;
      } else {
        active--;
        open--;
        released.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private SQLException timeout() {
    return new SQLTransientConnectionException("Timed out after " + settings.acquireTimeoutMillis()
        + " ms waiting for a physical connection to " + target + ": all maxConnections=" + settings.maxConnections()
        + " are in use (" + active + " in use, " + waiting + " other callers waiting). Close connections when a "
        + "request ends, raise maxConnections (or MAX_POOL_SIZE / INSTANCE_COUNT), or raise acquireTimeout.",
        SqlStates.UNABLE_TO_CONNECT);
  }

  private static List<PhysicalConnection> addTo(List<PhysicalConnection> list, PhysicalConnection connection) {
    List<PhysicalConnection> result = list == null ? new ArrayList<>(2) : list;
    result.add(connection);
    return result;
  }

  private void closeAll(List<PhysicalConnection> connections, String reason) {
    if (connections != null) {
      for (PhysicalConnection connection : connections) {
        connection.closeQuietly();
        observer.closed(reason);
      }
    }
  }

  @Override
  public String toString() {
    return "PhysicalPool[" + target + ", " + stats() + "]";
  }
}
