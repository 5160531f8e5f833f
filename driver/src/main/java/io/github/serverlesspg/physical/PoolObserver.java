package io.github.serverlesspg.physical;

/**
 * What a {@link PhysicalPool} reports about its work, so that telemetry can turn it into spans and metrics without
 * the pool depending on OpenTelemetry. Called on the thread that does the work; implementations must be cheap and
 * must not throw.
 */
public interface PoolObserver {
  /** Reports nothing. */
  PoolObserver NONE = new PoolObserver() {
  };

  /** A physical connection was opened in {@code nanos}; {@code reason} says why (cold, replacement, overflow). */
  default void created(long nanos, String reason) {
  }

  /** An idle connection was validated before being handed out. */
  default void validated(boolean valid, long nanos) {
  }

  /** A physical connection was closed; {@code reason} says why (broken, idle, lifetime, checkpoint, shutdown). */
  default void closed(String reason) {
  }

  /**
   * Opening a physical connection failed for a transient reason and is tried again after {@code backoffNanos};
   * {@code attempt} is the attempt that failed (1 for the first).
   */
  default void connectRetrying(int attempt, java.sql.SQLException failure, long backoffNanos) {
  }

  /** Opening a physical connection ended after {@code attempts} attempts: opened, or failed with {@code failure}. */
  default void connectAttempts(int attempts, java.sql.SQLException failure) {
  }

  /** A caller gave up waiting for a physical connection. */
  default void timedOut() {
  }

  /**
   * The pool was closed (by the application, a shutdown, or the cache evicting it); called once per pool, on the
   * closing thread.
   */
  default void poolClosed() {
  }

  /** A borrowed connection came back after {@code usedNanos}; on the hot path, so it must not allocate or log. */
  default void released(long usedNanos) {
  }
}
