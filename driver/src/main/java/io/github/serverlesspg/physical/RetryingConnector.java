package io.github.serverlesspg.physical;

import io.github.serverlesspg.util.Backoff;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;

/**
 * Opens a physical connection, retrying failures that say "not now" rather than "never": the server or pooler is
 * restarting, full, or waking up. Only opening is retried; no statement ever runs here, so nothing can be applied
 * twice.
 *
 * <p>Retried: a refused or reset TCP connect or startup (SQLSTATE 08001/08006 caused by an I/O error, not by an
 * unknown host, a TLS certificate problem or a timeout), 57P03 (the database system is starting up), 53300 (too many
 * connections), and the transient refusals poolers and serverless proxies report as 08P01 or XX000: PgBouncer's
 * "no more connections allowed", "server login has been failing" (its {@code server_login_retry} hold),
 * "client_login_timeout", "query_wait_timeout", "pgbouncer cannot connect to server", and a Neon compute that cannot be
 * reached while it wakes ("Couldn't connect to compute node"). Never retried: authentication and authorization
 * failures, a missing database, bad parameters, unknown hosts, certificate failures, timeouts (an endpoint that
 * accepts and never answers already cost one whole connect bound), and a connect the thread's interrupt aborted.
 *
 * <p>Attempts are separated by exponential backoff with full jitter (25 ms doubling up to 500 ms, so a recovered
 * endpoint is found within about half a second) and stop when the next one would start after {@code budgetMillis}
 * from the first. The budget bounds when an attempt may start, not how long it runs: each attempt is bounded by
 * the connector it wraps (the connect bound, {@code connectTimeout}). A budget of 0 disables retries.
 */
public final class RetryingConnector implements Connector {
  private static final long INITIAL_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final Connector delegate;
  private final String target;
  private final long budgetNanos;
  private final PoolObserver observer;

  /**
   * @param target where the connections go ({@code host:port/database}), for messages; no credentials
   * @param budgetMillis how long after the first attempt a retry may still start; 0 for no retries
   */
  public RetryingConnector(Connector delegate, String target, long budgetMillis, PoolObserver observer) {
    this.delegate = delegate;
    this.target = target;
    this.budgetNanos = TimeUnit.MILLISECONDS.toNanos(budgetMillis);
    this.observer = observer;
  }

  @Override
  public Connection open() throws SQLException {
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      SQLException failure;
      try {
        Connection connection = delegate.open();
        observer.connectAttempts(attempt, null);
        return connection;
      } catch (SQLException e) {
        failure = e;
      }
      if (!isTransient(failure) || Thread.currentThread().isInterrupted()) {
        observer.connectAttempts(attempt, failure);
        throw failure;
      }
      long pause = Backoff.fullJitterNanos(attempt, INITIAL_BACKOFF_NANOS, MAX_BACKOFF_NANOS);
      long elapsed = System.nanoTime() - start;
      if (elapsed + pause >= budgetNanos) {
        observer.connectAttempts(attempt, failure);
        throw attempt == 1 ? failure : gaveUp(failure, attempt, elapsed);
      }
      observer.connectRetrying(attempt, failure, pause);
      try {
        TimeUnit.NANOSECONDS.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        observer.connectAttempts(attempt, failure);
        failure.addSuppressed(e);
        throw failure;
      }
    }
  }

  private SQLException gaveUp(SQLException last, int attempts, long elapsedNanos) {
    return new SQLTransientConnectionException("Could not connect to " + target + ": " + attempts + " attempts in "
        + TimeUnit.NANOSECONDS.toMillis(elapsedNanos) + " ms, all refused for a transient reason (last: "
        + last.getMessage() + "). The endpoint may be restarting, full or waking up: raise connectRetryBudget (now "
        + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + " ms) to wait longer.", last.getSQLState(), last);
  }

  /** Whether a failed connect may succeed when tried again shortly; see the class comment for the list. */
  static boolean isTransient(SQLException failure) {
    String state = failure.getSQLState();
    if ("57P03".equals(state) || "53300".equals(state)) {
      return true;
    }
    if (state != null && (state.equals("08P01") || state.equals("XX000"))) {
      return isTransientRefusal(failure.getMessage());
    }
    if (state == null || state.startsWith("08")) {
      return isTransientIoFailure(failure.getCause()) || isTransientRefusal(failure.getMessage());
    }
    return false;
  }

  private static boolean isTransientIoFailure(Throwable cause) {
    boolean io = false;
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof SSLHandshakeException
          || t instanceof InterruptedIOException) {
        // A timeout (a SocketTimeoutException is an InterruptedIOException) already spent the connect bound on an
        // endpoint that does not answer: trying again would multiply the wait without a reason to expect an answer.
        // An interrupt asked to stop.
        return false;
      }
      io |= t instanceof IOException;
    }
    return io;
  }

  private static boolean isTransientRefusal(String message) {
    if (message == null) {
      return false;
    }
    String text = message.toLowerCase(Locale.ROOT);
    return text.contains("no more connections allowed")
        || text.contains("server login has been failing")
        || text.contains("client_login_timeout")
        || text.contains("query_wait_timeout")
        || text.contains("pgbouncer cannot connect to server")
        || text.contains("couldn't connect to compute node")
        || text.contains("the database system is starting up");
  }

  @Override
  public String toString() {
    return "RetryingConnector[" + target + ", budget " + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + " ms]";
  }
}
