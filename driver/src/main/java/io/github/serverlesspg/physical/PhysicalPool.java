package io.github.serverlesspg.physical;

import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.routing.PoolSettings;
import io.github.serverlesspg.util.Log;
import java.lang.ref.ReferenceQueue;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The physical connections of one target (one cache key): at most {@code maxConnections} of them, plus at most
 * {@link PoolSettings#nestingAllowance()} more for threads that already hold one (nested acquisition), never more.
 *
 * <p>Borrowing an idle connection and releasing it take no lock: each connection's state changes by compare-and-set
 * (see {@link PhysicalConnection}), over a copy-on-write array of the pool's connections. The {@link ReentrantLock}
 * guards only the slow path: the count of open connections, opening a slot, and the FIFO queue of waiters. It is
 * never held across network I/O. Once someone waits, a released connection goes to the longest waiter (new callers
 * queue behind it rather than barging in), each waiter parked on its own {@link Condition}, which parks virtual
 * threads without pinning their carrier.
 *
 * <p>Nothing runs in the background: idle timeout and lifetime are checked when a connection is borrowed, and
 * abandoned handles (unreachable without {@code close()}) are reclaimed when a caller finds no idle connection.
 */
public final class PhysicalPool {
  private static final Log LOG = Log.of(PhysicalPool.class);
  private static final PhysicalConnection[] NONE = new PhysicalConnection[0];
  /** How often a waiter looks for abandoned handles that the garbage collector found meanwhile. */
  private static final long RECLAIM_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final String target;
  private final PoolSettings settings;
  private final Connector connector;
  private final PoolObserver observer;
  private final LongSupplier nanoClock;
  private final int maxConnections;
  private final int hardCap;
  private final long validationWindowNanos;
  private final long idleTimeoutNanos;
  private final long lifetimeNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final ReferenceQueue<Object> abandonedHandles = new ReferenceQueue<>();
  /** Every open connection, whatever its state; replaced (copy on write) under the lock. */
  private volatile PhysicalConnection[] connections = NONE;
  /** Open connections plus slots reserved for connections being opened; written under the lock. */
  private volatile int open;
  /** {@code waiters.size()}, readable without the lock: a release hands over through the lock only when positive. */
  private volatile int waiting;
  /** Volatile so that a cached reference can tell cheaply that the pool was closed. */
  private volatile boolean closed;
  /** When a connection was last borrowed, for dropping targets nobody uses; racy on purpose. */
  private long lastActivity;
  private boolean abandonmentReported;

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
    this.maxConnections = settings.maxConnections();
    this.hardCap = settings.hardCap();
    this.validationWindowNanos = TimeUnit.MILLISECONDS.toNanos(settings.validationWindowMillis());
    this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMillis());
    this.lifetimeNanos = TimeUnit.MILLISECONDS.toNanos(settings.maxLifetimeMillis());
    this.lastActivity = nanoClock.getAsLong();
  }

  // ---------------------------------------------------------------- borrow

  /**
   * Hands out a physical connection: an idle one (validated if it was idle longer than the validation window, and
   * replaced without an error if it is dead or past its idle timeout or lifetime); a new one while fewer than
   * {@code maxConnections} are open, or fewer than that plus the nesting allowance if the calling thread already
   * holds one; else the next one released, in arrival order, within {@code acquireTimeout}.
   *
   * @return the connection, or null when the pool was closed meanwhile (the caller asks the cache again)
   * @throws SQLException 08001 on timeout or interrupt, or pgjdbc's exception when a new connection cannot be opened
   */
  public PhysicalConnection borrow() throws SQLException {
    AtomicIntegerArray held = HeldConnections.ofCurrentThread();
    long start = nanoClock.getAsLong();
    lastActivity = start;
    PhysicalConnection candidate = waiting == 0 ? takeIdle() : null;
    long waited = 0;
    Slot slot = null;
    if (candidate == null) {
      Object granted = acquire(HeldConnections.holdsAny(held), start);
      if (granted == null) {
        return null;
      }
      waited = nanoClock.getAsLong() - start;
      if (granted instanceof Slot) {
        slot = (Slot) granted;
      } else {
        candidate = (PhysicalConnection) granted;
      }
    }
    PhysicalConnection connection = slot != null ? openInSlot(slot.origin, waited, held)
        : prepare(candidate, waited == 0 ? start : nanoClock.getAsLong(), waited, held);
    HeldConnections.borrowed(held);
    return connection;
  }

  /** What a waiter was granted when no idle connection was left: the right to open a new one. */
  private static final class Slot {
    static final Slot WITHIN_LIMIT = new Slot(PhysicalConnection.Origin.COLD);
    static final Slot NESTED = new Slot(PhysicalConnection.Origin.OVERFLOW);

    final PhysicalConnection.Origin origin;

    private Slot(PhysicalConnection.Origin origin) {
      this.origin = origin;
    }
  }

  /** One caller waiting, in arrival order. */
  private static final class Waiter {
    final Condition granted;
    final boolean nested;
    /** A {@link PhysicalConnection} (borrowed on the waiter's behalf) or a {@link Slot}; set under the lock. */
    Object grant;

    Waiter(Condition granted, boolean nested) {
      this.granted = granted;
      this.nested = nested;
    }
  }

  /** The first idle connection whose compare-and-set this caller wins, or null. */
  private PhysicalConnection takeIdle() {
    for (PhysicalConnection connection : connections) {
      if (connection.tryBorrow()) {
        return connection;
      }
    }
    return null;
  }

  /** The slow path: an idle connection, a slot to open one, or the place in the queue until one is released. */
  private Object acquire(boolean nested, long start) throws SQLException {
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(settings.acquireTimeoutMillis());
    List<PhysicalConnection> reclaimed = null;
    lock.lock();
    try {
      reclaimed = reclaimAbandoned(reclaimed);
      if (closed) {
        return null;
      }
      if (waiters.isEmpty()) {
        PhysicalConnection idle = takeIdle();
        if (idle != null) {
          return idle;
        }
        if (open < maxConnections) {
          open++;
          return Slot.WITHIN_LIMIT;
        }
      }
      if (nested && open < hardCap) {
        open++;
        return Slot.NESTED;
      }
      Waiter waiter = new Waiter(lock.newCondition(), nested);
      waiters.addLast(waiter);
      waiting = waiters.size();
      // A release that saw no waiter a moment ago left its connection idle: serve the queue now.
      dispatch();
      while (waiter.grant == null) {
        if (closed) {
          dequeue(waiter);
          return null;
        }
        long remaining = deadline - nanoClock.getAsLong();
        if (remaining <= 0) {
          dequeue(waiter);
          observer.timedOut();
          throw timeout(nested);
        }
        try {
          waiter.granted.awaitNanos(Math.min(remaining, RECLAIM_POLL_NANOS));
        } catch (InterruptedException e) {
          if (waiter.grant == null) {
            dequeue(waiter);
          } else {
            giveBack(waiter.grant);
          }
          Thread.currentThread().interrupt();
          throw SqlStates.unableToConnect("Interrupted while waiting for a physical connection to " + target, e);
        }
        if (waiter.grant == null) {
          reclaimed = reclaimAbandoned(reclaimed);
          dispatch();
        }
      }
      return waiter.grant;
    } finally {
      lock.unlock();
      closeAll(reclaimed, "abandoned");
    }
  }

  private void dequeue(Waiter waiter) {
    waiters.remove(waiter);
    waiting = waiters.size();
  }

  /** Under the lock: returns what was granted to a waiter that can no longer take it. */
  private void giveBack(Object grant) {
    if (grant instanceof Slot) {
      open--;
    } else {
      PhysicalConnection connection = (PhysicalConnection) grant;
      connection.tryRelease(connection.lease());
    }
    dispatch();
  }

  /**
   * Under the lock: serves waiters in arrival order, with idle connections first, then with slots while there is
   * room. A waiter that holds connections already may use the nesting allowance, even behind one that may not.
   *
   * <p>While more than {@code maxConnections} are open only nesting waiters are served: were the nesting allowance
   * handed to threads that hold nothing, they could nest in turn and every connection would end up held by a thread
   * waiting for one more. So threads that hold nothing share {@code maxConnections}, and the allowance stays free
   * for nesting.
   */
  private void dispatch() {
    Waiter head;
    while ((head = waiters.peekFirst()) != null) {
      if (open > maxConnections) {
        Waiter nested = firstNested();
        if (nested == null) {
          return;
        }
        head = nested;
      }
      PhysicalConnection idle = takeIdle();
      if (idle != null) {
        grant(head, idle);
      } else if (open < maxConnections) {
        open++;
        grant(head, Slot.WITHIN_LIMIT);
      } else if (open < hardCap && (head.nested || (head = firstNested()) != null)) {
        open++;
        grant(head, Slot.NESTED);
      } else {
        return;
      }
    }
  }

  private Waiter firstNested() {
    for (Waiter waiter : waiters) {
      if (waiter.nested) {
        return waiter;
      }
    }
    return null;
  }

  private void grant(Waiter waiter, Object grant) {
    waiter.grant = grant;
    waiters.remove(waiter);
    waiting = waiters.size();
    waiter.granted.signal();
  }

  /** Makes a borrowed idle connection ready: replaced when stale, validated after the validation window. */
  private PhysicalConnection prepare(PhysicalConnection connection, long now, long waited, AtomicIntegerArray held)
      throws SQLException {
    if (isStale(connection, now)) {
      discardKeepingSlot(connection, "idle timeout or lifetime");
      return openInSlot(PhysicalConnection.Origin.COLD, waited, held);
    }
    if (connection.idleNanos(now) <= validationWindowNanos) {
      connection.borrowed(PhysicalConnection.Origin.WARM, waited, now, held);
      return connection;
    }
    boolean valid;
    try {
      valid = connection.connection().isValid(validationTimeoutSeconds());
    } catch (SQLException | RuntimeException e) {
      valid = false;
    }
    long validated = nanoClock.getAsLong();
    observer.validated(valid, validated - now);
    if (valid) {
      connection.borrowed(PhysicalConnection.Origin.VALIDATED, waited, validated, held);
      return connection;
    }
    discardKeepingSlot(connection, "failed validation");
    return openInSlot(PhysicalConnection.Origin.REPLACED, waited, held);
  }

  /** Closes a connection this caller borrowed and keeps its slot for the replacement it opens next. */
  private void discardKeepingSlot(PhysicalConnection connection, String reason) {
    if (connection.tryRemove(connection.lease())) {
      lock.lock();
      try {
        removeFromArray(connection);
      } finally {
        lock.unlock();
      }
      connection.closeQuietly();
      observer.closed(reason);
    }
  }

  /** Opens a connection in a slot this caller reserved; frees the slot if that fails, whatever the failure. */
  private PhysicalConnection openInSlot(PhysicalConnection.Origin origin, long waited, AtomicIntegerArray held)
      throws SQLException {
    PhysicalConnection connection;
    try {
      long start = nanoClock.getAsLong();
      connection = new PhysicalConnection(connector.open(), start, jitteredLifetime());
      long created = nanoClock.getAsLong();
      observer.created(created - start, origin.name().toLowerCase(java.util.Locale.ROOT));
      connection.borrowed(origin, waited, created, held);
    } catch (SQLException | RuntimeException | Error e) {
      freeSlot();
      throw e;
    }
    lock.lock();
    try {
      if (closed) {
        // Closed while connecting: the connection stays the borrower's until its release closes it.
        open--;
      } else {
        addToArray(connection);
      }
    } finally {
      lock.unlock();
    }
    return connection;
  }

  private void freeSlot() {
    lock.lock();
    try {
      open--;
      dispatch();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- release

  /**
   * Ends the borrow {@code lease} of {@code connection}. It goes back to the pool (to the longest waiter first)
   * unless it is broken, past its lifetime, above {@code maxConnections} with nobody waiting, or the pool does not
   * reuse connections or is closed; then it is closed. A release of a lease that is not current (a second release,
   * say) changes nothing and returns false.
   */
  public boolean release(PhysicalConnection connection, long lease) {
    return end(connection, lease, true);
  }

  /**
   * Ends the borrow {@code lease} without closing the connection, which the caller is aborting; its slot is free at
   * once.
   */
  public boolean discard(PhysicalConnection connection, long lease) {
    connection.markBroken();
    return end(connection, lease, false);
  }

  private boolean end(PhysicalConnection connection, long lease, boolean close) {
    if (!connection.isBorrowedUnder(lease)) {
      return false;
    }
    long now = nanoClock.getAsLong();
    AtomicIntegerArray held = connection.heldBy();
    long borrower = connection.borrowerId();
    long used = now - connection.borrowedNanos();
    String closeReason = connection.isBroken() ? "broken"
        : !settings.reuse() ? "reuse=false"
        : connection.isRetired(now) ? "lifetime"
        : closed ? "pool closed"
        : null;
    connection.borrow = null;
    if (closeReason == null) {
      connection.released(now);
      if (!connection.tryRelease(lease)) {
        return false;
      }
    } else if (!connection.tryRemove(lease)) {
      return false;
    }
    HeldConnections.released(held, borrower);
    observer.released(used);
    if (closeReason != null) {
      removeAndFreeSlot(connection);
      if (close) {
        connection.closeQuietly();
      }
      observer.closed(closeReason);
    } else if (waiting > 0 || open > maxConnections || closed) {
      handOverOrShrink(connection);
    }
    return true;
  }

  /**
   * After a release to idle, when someone waits, the pool is above {@code maxConnections} (nested borrows) or closed
   * meanwhile: above the limit the connection goes to a nesting waiter or is closed, else to the longest waiter.
   */
  private void handOverOrShrink(PhysicalConnection connection) {
    boolean retire = false;
    lock.lock();
    try {
      if ((closed || (open > maxConnections && firstNested() == null)) && connection.tryRemoveIdle()) {
        removeFromArray(connection);
        open--;
        retire = true;
      }
      dispatch();
    } finally {
      lock.unlock();
    }
    if (retire) {
      connection.closeQuietly();
      observer.closed(closed ? "pool closed" : "overflow");
    }
  }

  private void removeAndFreeSlot(PhysicalConnection connection) {
    lock.lock();
    try {
      // Not in the array if it was opened while the pool closed: its slot was freed then.
      if (removeFromArray(connection)) {
        open--;
      }
      dispatch();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- abandoned handles

  /**
   * Records that the logical {@code handle} now holds {@code connection}, under its current lease: if the handle
   * becomes unreachable before it releases the connection, the pool reclaims it. Holds the handle only weakly.
   *
   * @param origin where the handle was opened, if leak detection recorded it, for the warning; else null
   * @return the borrow, for the handle to keep and release
   */
  public Borrow watch(PhysicalConnection connection, Object handle, Throwable origin) {
    Borrow borrow = origin == null ? new Borrow(handle, abandonedHandles, connection)
        : new Borrow.Traced(handle, abandonedHandles, connection, origin);
    connection.borrow = borrow;
    return borrow;
  }

  /** Reclaims the connections of handles the garbage collector found unreachable; for the registry's sweeps. */
  void reclaimAbandoned() {
    if (waiting > 0 || open > 0) {
      List<PhysicalConnection> reclaimed;
      lock.lock();
      try {
        reclaimed = reclaimAbandoned(null);
      } finally {
        lock.unlock();
      }
      closeAll(reclaimed, "abandoned");
    }
  }

  /** Under the lock; the caller closes what it returns after unlocking. */
  private List<PhysicalConnection> reclaimAbandoned(List<PhysicalConnection> reclaimed) {
    Borrow abandoned;
    while ((abandoned = (Borrow) abandonedHandles.poll()) != null) {
      PhysicalConnection connection = abandoned.connection;
      AtomicIntegerArray held = connection.heldBy();
      long borrower = connection.borrowerId();
      if (connection.tryRemove(abandoned.lease)) {
        HeldConnections.released(held, borrower);
        if (removeFromArray(connection)) {
          open--;
        }
        reclaimed = addTo(reclaimed, connection);
        reportAbandoned(abandoned.origin());
      }
    }
    if (reclaimed != null) {
      dispatch();
    }
    return reclaimed;
  }

  private void reportAbandoned(Throwable origin) {
    String message = "serverless-pg: a connection to {} was never closed and became unreachable: its physical "
        + "connection was closed and its slot freed. Close every connection (try-with-resources)"
        + (origin == null ? "; set leakDetectionThreshold to see where it was opened." : "; it was opened here:");
    if (origin != null) {
      LOG.warn(message, target, origin);
    } else if (!abandonmentReported) {
      abandonmentReported = true;
      LOG.warn(message, target);
    } else {
      LOG.debug(message, target);
    }
  }

  // ---------------------------------------------------------------- closing

  /** Closes every idle connection now (before a CRaC checkpoint, say); borrowed ones stay with their borrowers. */
  public void closeIdle(String reason) {
    List<PhysicalConnection> drained = null;
    lock.lock();
    try {
      for (PhysicalConnection connection : connections) {
        if (connection.tryRemoveIdle()) {
          removeFromArray(connection);
          open--;
          drained = addTo(drained, connection);
        }
      }
      dispatch();
    } finally {
      lock.unlock();
    }
    closeAll(drained, reason);
  }

  /** Closes idle connections and makes borrowed ones close on release; later borrows return null. */
  public void close(String reason) {
    boolean first;
    lock.lock();
    try {
      first = !closed;
      closed = true;
      for (Waiter waiter : waiters) {
        waiter.granted.signal();
      }
    } finally {
      lock.unlock();
    }
    closeIdle(reason);
    if (first) {
      observer.poolClosed();
    }
  }

  // ---------------------------------------------------------------- state for reports

  /** A snapshot of the counters, for health reports and metrics. */
  public PoolStats stats() {
    lock.lock();
    try {
      int active = 0;
      int idle = 0;
      for (PhysicalConnection connection : connections) {
        if (connection.isBorrowed()) {
          active++;
        } else if (connection.isIdle()) {
          idle++;
        }
      }
      return new PoolStats(active, idle, open, waiting, maxConnections);
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

  private int borrowedCount() {
    int borrowed = 0;
    for (PhysicalConnection connection : connections) {
      if (connection.isBorrowed()) {
        borrowed++;
      }
    }
    return borrowed;
  }

  /** Idle connections now, without the lock, for the registry's process-wide idle bound. */
  int idleCount() {
    int idle = 0;
    for (PhysicalConnection connection : connections) {
      if (connection.isIdle()) {
        idle++;
      }
    }
    return idle;
  }

  /** When a connection was last borrowed ({@link System#nanoTime()} scale), for least-recently-used eviction. */
  long lastActivityNanos() {
    return lastActivity;
  }

  /** Whether no connection is lent out and nobody waits: closing the pool now disturbs nobody. */
  boolean isUnused() {
    if (waiting > 0) {
      return false;
    }
    for (PhysicalConnection connection : connections) {
      if (connection.isBorrowed()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether nobody has borrowed a connection for the idle timeout and none is lent out: the whole target can go.
   * Never with idle timeout 0 (keep forever).
   */
  boolean isIdleTarget() {
    return idleTimeoutNanos > 0 && isUnused() && nanoClock.getAsLong() - lastActivity > idleTimeoutNanos;
  }

  public PoolSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- helpers

  private boolean isStale(PhysicalConnection connection, long now) {
    return connection.isRetired(now) || (idleTimeoutNanos > 0 && connection.idleNanos(now) > idleTimeoutNanos);
  }

  private int validationTimeoutSeconds() {
    // isValid takes whole seconds, and 0 would mean "no timeout": round up, at least 1.
    return (int) Math.max(1, (settings.validationTimeoutMillis() + 999) / 1000);
  }

  /** Up to 2.5% less than the configured lifetime, so that connections opened together do not retire together. */
  private long jitteredLifetime() {
    if (lifetimeNanos <= 0) {
      return 0;
    }
    return lifetimeNanos - ThreadLocalRandom.current().nextLong(lifetimeNanos / 40 + 1);
  }

  /** Under the lock. */
  private void addToArray(PhysicalConnection connection) {
    PhysicalConnection[] current = connections;
    PhysicalConnection[] grown = java.util.Arrays.copyOf(current, current.length + 1);
    grown[current.length] = connection;
    connections = grown;
  }

  /** Under the lock; false if it was not there. */
  private boolean removeFromArray(PhysicalConnection connection) {
    PhysicalConnection[] current = connections;
    for (int i = 0; i < current.length; i++) {
      if (current[i] == connection) {
        PhysicalConnection[] shrunk = new PhysicalConnection[current.length - 1];
        System.arraycopy(current, 0, shrunk, 0, i);
        System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
        connections = shrunk.length == 0 ? NONE : shrunk;
        return true;
      }
    }
    return false;
  }

  private SQLException timeout(boolean nested) {
    return new SQLTransientConnectionException("Timed out after " + settings.acquireTimeoutMillis()
        + " ms waiting for a physical connection to " + target + ": all maxConnections=" + maxConnections
        + (nested ? " and the nesting allowance of " + settings.nestingAllowance()
            + " for threads that already hold a connection" : "")
        + " are in use (" + borrowedCount() + " in use, " + waiting + " other callers waiting). Close connections when a "
        + "request ends (a thread holding many connections at once is a leak), raise maxConnections (or "
        + "MAX_POOL_SIZE / INSTANCE_COUNT), or raise acquireTimeout.", SqlStates.UNABLE_TO_CONNECT);
  }

  private static List<PhysicalConnection> addTo(List<PhysicalConnection> list, PhysicalConnection connection) {
    List<PhysicalConnection> result = list == null ? new ArrayList<>(2) : list;
    result.add(connection);
    return result;
  }

  private void closeAll(List<PhysicalConnection> list, String reason) {
    if (list != null) {
      for (PhysicalConnection connection : list) {
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
