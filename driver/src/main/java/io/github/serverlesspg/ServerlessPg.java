package io.github.serverlesspg;

import io.github.serverlesspg.logical.CommitOutcome;
import io.github.serverlesspg.util.Backoff;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * Runs a unit of work in one transaction and retries the whole unit when that is safe: the serverless equivalent of
 * a "with pooling" helper, with plain JDBC and no framework.
 *
 * <pre>{@code
 * long id = ServerlessPg.inTransaction(dataSource, connection -> {
 *   try (PreparedStatement insert = connection.prepareStatement("insert into orders(item) values (?) returning id")) {
 *     insert.setString(1, item);
 *     try (ResultSet keys = insert.executeQuery()) {
 *       keys.next();
 *       return keys.getLong(1);
 *     }
 *   }
 * });
 * }</pre>
 *
 * <p>A unit is run again, after a backoff with full jitter and at most {@link TransactionOptions#maxAttempts()}
 * times in all, only when its transaction certainly did not commit:
 * <ul>
 *   <li>a serialization failure (40001) or deadlock (40P01), whether raised by a statement or by {@code COMMIT};
 *   <li>the connection was lost (SQLSTATE class 08, 57P01-57P03) before {@code COMMIT} was sent: PostgreSQL rolls
 *       back a transaction whose connection goes away.
 * </ul>
 * When the connection is lost while {@code COMMIT} is in flight nobody knows whether the transaction committed; the
 * unit then fails with SQLSTATE 08007 (transaction resolution unknown) and is run again only if the options declare
 * it {@linkplain TransactionOptions#idempotent(boolean) idempotent}. Every other failure, and any
 * {@link RuntimeException} or {@link Error} from the unit, rolls back and is thrown at once. Failures of
 * {@link DataSource#getConnection()} are not retried here: opening connections is retried by the driver itself, within
 * its {@code connectRetryBudget}.
 *
 * <p>The unit gets a connection with auto-commit off. It must not commit, roll back, change auto-commit or close it
 * (those calls throw SQLSTATE 25000): a unit that committed half its work could not be retried safely. To roll back,
 * throw. A unit may run more than once, so it should not have effects outside the database that cannot be repeated.
 */
public final class ServerlessPg {
  /** {@code 40001}: serialization failure. */
  static final String SERIALIZATION_FAILURE = "40001";
  /** {@code 40P01}: deadlock detected. */
  static final String DEADLOCK_DETECTED = "40P01";
  /** {@code 08003}: the connection does not exist (closed before the call). */
  static final String CONNECTION_DOES_NOT_EXIST = "08003";

  private ServerlessPg() {
  }

  /** A unit of work in one transaction; its result is returned by the helper. */
  @FunctionalInterface
  public interface Work<T> {
    /** Does the transaction's work on {@code connection}; may run more than once when the helper retries. */
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} in a read-write transaction with the default options; see the class comment for retries. */
  public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
    return inTransaction(dataSource, TransactionOptions.defaults(), work);
  }

  /** Runs {@code work} in a read-only transaction with otherwise default options. */
  public static <T> T inReadOnlyTransaction(DataSource dataSource, Work<T> work) throws SQLException {
    return inTransaction(dataSource, TransactionOptions.defaults().readOnly(true), work);
  }

  /**
   * Runs {@code work} in one transaction with the given options, retrying the whole unit when it certainly did not
   * commit (and, for idempotent units, when its outcome is unknown).
   *
   * @throws SQLException the last failure, with the failures of earlier attempts as suppressed exceptions;
   *     SQLSTATE 08007 when the outcome of the last attempt's commit is unknown
   */
  public static <T> T inTransaction(DataSource dataSource, TransactionOptions options, Work<T> work)
      throws SQLException {
    if (dataSource == null || options == null || work == null) {
      throw new IllegalArgumentException("dataSource, options and work must not be null");
    }
    List<SQLException> earlier = null;
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(dataSource, options, work);
      } catch (AttemptFailure failure) {
        SQLException cause = failure.cause;
        if (!failure.retryable || attempt >= options.maxAttempts()) {
          if (earlier != null) {
            earlier.forEach(cause::addSuppressed);
          }
          throw cause;
        }
        if (earlier == null) {
          earlier = new ArrayList<>(options.maxAttempts() - 1);
        }
        earlier.add(cause);
        pause(attempt, options, cause);
      }
    }
  }

  private static <T> T attempt(DataSource dataSource, TransactionOptions options, Work<T> work)
      throws SQLException, AttemptFailure {
    Connection connection = dataSource.getConnection();
    boolean commitSent = false;
    try {
      try {
        connection.setAutoCommit(false);
        if (options.isReadOnly()) {
          connection.setReadOnly(true);
        }
        if (options.isolation() >= 0) {
          connection.setTransactionIsolation(options.isolation());
        }
        T result = work.run(guarded(connection));
        checkNotFailed(connection);
        commitSent = true;
        connection.commit();
        return result;
      } catch (SQLException e) {
        if (!commitSent) {
          rollbackQuietly(connection, e);
        }
        throw classify(e, commitSent, options);
      } catch (RuntimeException | Error e) {
        rollbackQuietly(connection, e);
        throw e;
      }
    } finally {
      closeQuietly(connection);
    }
  }

  /**
   * Decides whether a failed attempt may run again. Before {@code COMMIT} was sent: on serialization failures,
   * deadlocks and connection loss. After: on serialization failures and deadlocks (the server answered, so it rolled
   * back), and on an unknown outcome only for idempotent units.
   */
  static AttemptFailure classify(SQLException failure, boolean commitSent, TransactionOptions options) {
    String state = sqlState(failure);
    if (SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state)) {
      return new AttemptFailure(failure, true);
    }
    if (CommitOutcome.UNKNOWN.equals(state)) {
      return new AttemptFailure(failure, options.isIdempotent());
    }
    if (isConnectionLoss(failure)) {
      if (!commitSent || CONNECTION_DOES_NOT_EXIST.equals(state)) {
        // 08003 comes from a connection already known closed: pgjdbc and pools refuse before sending COMMIT.
        return new AttemptFailure(failure, true);
      }
      // A DataSource of another driver reports a lost COMMIT as it came; say what it means.
      return new AttemptFailure(CommitOutcome.translate(failure), options.isIdempotent());
    }
    return new AttemptFailure(failure, false);
  }

  /** The first SQLSTATE along the cause chain: a unit may wrap the driver's exception in its own. */
  static String sqlState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static boolean isConnectionLoss(SQLException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return CommitOutcome.isConnectionLoss(sql);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return CommitOutcome.isConnectionLoss(failure);
  }

  /**
   * pgjdbc answers {@code commit()} of a failed transaction (a statement failed and the unit caught the exception)
   * normally, although the server rolled it back. The unit would be reported committed; refuse instead.
   */
  private static void checkNotFailed(Connection connection) throws SQLException {
    if (connection.isWrapperFor(BaseConnection.class)
        && connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED) {
      throw new SQLException("A statement of the unit failed and the unit caught the exception, so PostgreSQL "
          + "rolled its transaction back; nothing was committed. Let the exception propagate out of the unit, or use "
          + "a savepoint around the statement that may fail.", "25P02");
    }
  }

  private static void pause(int retry, TransactionOptions options, SQLException cause) throws SQLException {
    long nanos = Backoff.fullJitterNanos(retry, options.initialBackoff().toNanos(), options.maxBackoff().toNanos());
    if (nanos <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cause.addSuppressed(e);
      throw cause;
    }
  }

  private static void rollbackQuietly(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException | RuntimeException e) {
      // The unit's outcome is already decided; a failing close (a dead connection) changes nothing about it.
    }
  }

  /** The connection as the unit sees it: everything but ending the transaction or closing the connection. */
  private static Connection guarded(Connection connection) {
    return (Connection) Proxy.newProxyInstance(ServerlessPg.class.getClassLoader(),
        new Class<?>[] {Connection.class}, new Guard(connection));
  }

  private static final class Guard implements InvocationHandler {
    private final Connection connection;

    Guard(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      int arity = args == null ? 0 : args.length;
      if ((name.equals("commit") || name.equals("rollback") || name.equals("close")) && arity == 0
          || name.equals("setAutoCommit") || name.equals("abort")) {
        throw new SQLException("ServerlessPg.inTransaction commits, rolls back and closes the unit's connection "
            + "itself; the unit called " + name + "(). To roll back, throw an exception from the unit.", "25000");
      }
      if (name.equals("equals") && arity == 1) {
        return proxy == args[0];
      }
      if (name.equals("hashCode") && arity == 0) {
        return System.identityHashCode(proxy);
      }
      try {
        return method.invoke(connection, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  /** A failed attempt: the failure to report and whether the unit may run again. */
  static final class AttemptFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final transient SQLException cause;
    final boolean retryable;

    AttemptFailure(SQLException cause, boolean retryable) {
      super(null, null, false, false);
      this.cause = cause;
      this.retryable = retryable;
    }
  }
}
