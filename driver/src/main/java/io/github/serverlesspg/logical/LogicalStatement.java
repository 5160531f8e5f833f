package io.github.serverlesspg.logical;

import io.github.serverlesspg.config.SqlStates;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import org.postgresql.util.GT;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * A {@link Statement} of a {@link LogicalConnection}: every execution passes the connection's checks (session-state
 * policy, per-transaction emulation) and its tracer; everything else goes straight to pgjdbc.
 *
 * <p>Each execution method is written out rather than funnelled through a lambda so that the hot path allocates
 * nothing of its own.
 */
class LogicalStatement implements Statement {
  final LogicalConnection connection;
  private final Statement delegate;
  private boolean closed;
  private int batchSize;
  private String batchSql;
  /** {@link #closeOnCompletion()} was called: closing the prologue's result would close the statement. */
  boolean closesOnCompletion;

  LogicalStatement(LogicalConnection connection, Statement delegate) {
    this.connection = connection;
    this.delegate = delegate;
    connection.opened(this);
  }

  // ---------------------------------------------------------------- execution template

  /**
   * The SQL the execution under way sends (the application's, or its transaction-scoped rewrite); set by
   * {@link #begin} for that execution alone.
   */
  String toRun;

  /**
   * Starts an execution: connection checks and emulation, then the trace. Returns the tracer's token. Every
   * successful return is followed by exactly one {@link #succeeded} or {@link #failed}.
   */
  final Object begin(String sql, boolean parameterized, int batch) throws SQLException {
    return begin(sql, parameterized, batch, false);
  }

  /**
   * {@link #begin} of a plain execution that may send the handle's settings in front of the statement
   * ({@link TransactionModeSession}); when {@link #fused()}, the caller runs {@link #executeFused}.
   */
  private Object beginFusable(String sql) throws SQLException {
    return begin(sql, false, 0, !closesOnCompletion);
  }

  /**
   * {@link #begin} of an execution that can send the handle's settings in front of the statement if it may (then
   * {@link #fused()}): {@code fusable} says whether the caller can.
   */
  final Object begin(String sql, boolean parameterized, int batch, boolean fusable) throws SQLException {
    if (closed) {
      throw SqlStates.closed("This statement");
    }
    toRun = null;
    toRun = connection.beforeStatement(sql, batch == 0, fusable);
    try {
      return connection.tracer().start(sql, parameterized, batch);
    } catch (RuntimeException | Error e) {
      // The statement never runs: end what beforeStatement began for it.
      finishAfter(e);
      throw e;
    }
  }

  /** Ends a successful execution: the emulation's end of it first, then the span, exactly once. */
  final void succeeded(Object token) throws SQLException {
    try {
      toRun = null;
      connection.afterStatement(null);
    } catch (SQLException e) {
      connection.tracer().end(token, e);
      throw e;
    } catch (RuntimeException | Error e) {
      connection.tracer().end(token, null);
      throw e;
    }
    connection.tracer().end(token, null);
  }

  /**
   * Ends a failed execution and returns the failure to throw, an {@link SQLException}; unchecked failures are thrown
   * from here. The failure stays primary: what failed while ending the execution is added to it as suppressed.
   */
  final SQLException failed(Object token, Throwable cause) {
    Throwable failure = cause instanceof SQLException ? connection.statementFailure((SQLException) cause) : cause;
    try {
      finishAfter(failure);
    } finally {
      connection.tracer().end(token, failure instanceof SQLException ? (SQLException) failure : null);
    }
    if (failure instanceof SQLException) {
      return (SQLException) failure;
    }
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    return new SQLException(failure);
  }

  /** Runs the connection's end of a failed execution; what that throws is suppressed into the failure. */
  private void finishAfter(Throwable failure) {
    toRun = null;
    try {
      connection.afterStatement(failure);
    } catch (SQLException | RuntimeException | Error e) {
      failure.addSuppressed(e);
    }
  }

  // ---------------------------------------------------------------- Statement executions

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    Object token = beginFusable(sql);
    ResultSet result;
    try {
      if (fused()) {
        checkResultSet(executeFused());
        result = delegate.getResultSet();
      } else {
        result = delegate.executeQuery(toRun);
      }
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return LogicalResultSet.wrap(this, result);
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    Object token = beginFusable(sql);
    int result;
    try {
      if (fused()) {
        executeFusedUpdate();
        result = delegate.getUpdateCount();
      } else {
        result = delegate.executeUpdate(toRun);
      }
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    Object token = begin(sql, false, 0);
    int result;
    try {
      result = delegate.executeUpdate(toRun, autoGeneratedKeys);
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    Object token = begin(sql, false, 0);
    int result;
    try {
      result = delegate.executeUpdate(toRun, columnIndexes);
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    Object token = begin(sql, false, 0);
    int result;
    try {
      result = delegate.executeUpdate(toRun, columnNames);
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    Object token = beginFusable(sql);
    long result;
    try {
      if (fused()) {
        executeFusedUpdate();
        result = delegate.getLargeUpdateCount();
      } else {
        result = delegate.executeLargeUpdate(toRun);
      }
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    Object token = begin(sql, false, 0);
    long result;
    try {
      result = delegate.executeLargeUpdate(toRun, autoGeneratedKeys);
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    Object token = begin(sql, false, 0);
    long result;
    try {
      result = delegate.executeLargeUpdate(toRun, columnIndexes);
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    Object token = begin(sql, false, 0);
    long result;
    try {
      result = delegate.executeLargeUpdate(toRun, columnNames);
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    Object token = beginFusable(sql);
    boolean result;
    try {
      result = fused() ? executeFused() : delegate.execute(toRun);
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    Object token = begin(sql, false, 0);
    boolean result;
    try {
      result = delegate.execute(toRun, autoGeneratedKeys);
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    Object token = begin(sql, false, 0);
    boolean result;
    try {
      result = delegate.execute(toRun, columnIndexes);
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    Object token = begin(sql, false, 0);
    boolean result;
    try {
      result = delegate.execute(toRun, columnNames);
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  /**
   * Runs {@link #toRun}, the handle's settings then the application's one statement, and moves past the settings'
   * result (closing it), so that the statement's results are where pgjdbc's own execution would leave them.
   *
   * @return whether the application's statement returned a result set, as {@link Statement#execute(String)}
   */
  private boolean executeFused() throws SQLException {
    delegate.execute(TransactionSettings.fused(connection.fusedPrologue(), toRun));
    return delegate.getMoreResults();
  }

  /** {@link #executeFused} for {@code executeUpdate}: refuses a result set as pgjdbc does, after the statement ran. */
  private void executeFusedUpdate() throws SQLException {
    checkNoResultSet(executeFused());
  }

  /** After a fused execution, what pgjdbc's {@code executeQuery} throws when the statement returned no rows. */
  static void checkResultSet(boolean resultSet) throws SQLException {
    if (!resultSet) {
      throw new PSQLException(GT.tr("No results were returned by the query."), PSQLState.NO_DATA);
    }
  }

  /** After a fused execution, what pgjdbc's {@code executeUpdate} throws when the statement returned rows. */
  static void checkNoResultSet(boolean resultSet) throws SQLException {
    if (resultSet) {
      throw new PSQLException(GT.tr("A result was returned when none was expected."), PSQLState.TOO_MANY_RESULTS);
    }
  }

  /**
   * Whether the execution under way sends the handle's settings in front of the statement: only where its
   * {@link #begin} said it could, until the connection's next statement.
   */
  final boolean fused() {
    return connection.fusedPrologue() != null;
  }

  /**
   * The pgjdbc statement whose results the application sees now: {@link #delegate}, or a prepared statement's twin
   * ({@link LogicalPreparedStatement}).
   */
  Statement results() {
    return delegate;
  }

  /** Before a batch runs on {@link #delegate}: a prepared statement's results come from it again. */
  void runOnDelegate() throws SQLException {
  }

  // ---------------------------------------------------------------- batches

  @Override
  public void addBatch(String sql) throws SQLException {
    // Checked when added, so that sessionState=error refuses the statement before anything is sent.
    connection.checkBatchEntry(sql);
    if (batchSql == null) {
      batchSql = sql;
    }
    batchSize++;
    delegate.addBatch(sql);
  }

  /** Counts one more parameter set of a prepared batch. */
  final void countBatchEntry(String sql) {
    batchSql = sql;
    batchSize++;
  }

  @Override
  public void clearBatch() throws SQLException {
    batchSize = 0;
    batchSql = null;
    delegate.clearBatch();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    Object token = beginBatch();
    int[] result;
    try {
      runOnDelegate();
      result = delegate.executeBatch();
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    Object token = beginBatch();
    long[] result;
    try {
      runOnDelegate();
      result = delegate.executeLargeBatch();
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  private Object beginBatch() throws SQLException {
    String sql = batchSql == null ? "" : batchSql;
    int size = batchSize;
    batchSize = 0;
    batchSql = null;
    return begin(sql, this instanceof LogicalPreparedStatement, size);
  }

  // ---------------------------------------------------------------- life cycle

  @Override
  public void close() throws SQLException {
    if (!closed) {
      closed = true;
      connection.closed(this);
      closeDelegates();
    }
  }

  /** Closes the statement as part of closing its connection, which already forgot it. */
  final void closeFromConnection() throws SQLException {
    closed = true;
    closeDelegates();
  }

  /** Closes pgjdbc's statement (and a prepared statement's twin). */
  void closeDelegates() throws SQLException {
    delegate.close();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return closed || delegate.isClosed();
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (closed) {
      throw SqlStates.closed("This statement");
    }
    return connection;
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    delegate.setFetchSize(rows);
  }

  @Override
  public int getFetchSize() throws SQLException {
    return delegate.getFetchSize();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }

  // ---------------------------------------------------------------- plain delegation

  @Override
  public void cancel() throws SQLException {
    results().cancel(); // pgjdbc cancels only the statement that is running: the one whose results come next
  }

  @Override
  public void clearWarnings() throws SQLException {
    results().clearWarnings();
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    delegate.closeOnCompletion();
    closesOnCompletion = true;
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return delegate.getFetchDirection();
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return LogicalResultSet.wrap(this, results().getGeneratedKeys());
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return delegate.getMaxFieldSize();
  }

  @Override
  public int getMaxRows() throws SQLException {
    return delegate.getMaxRows();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return results().getMoreResults();
  }

  @Override
  public boolean getMoreResults(int whatToClose) throws SQLException {
    return results().getMoreResults(whatToClose);
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return delegate.getQueryTimeout();
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return LogicalResultSet.wrap(this, results().getResultSet());
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return delegate.getResultSetConcurrency();
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return delegate.getResultSetHoldability();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return delegate.getResultSetType();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return results().getUpdateCount();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return results().getWarnings();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return delegate.isCloseOnCompletion();
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return delegate.isPoolable();
  }

  @Override
  public void setCursorName(String name) throws SQLException {
    delegate.setCursorName(name);
  }

  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    delegate.setEscapeProcessing(enable);
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    delegate.setFetchDirection(direction);
  }

  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    delegate.setMaxFieldSize(max);
  }

  @Override
  public void setMaxRows(int max) throws SQLException {
    delegate.setMaxRows(max);
  }

  @Override
  public void setPoolable(boolean poolable) throws SQLException {
    delegate.setPoolable(poolable);
  }

  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    delegate.setQueryTimeout(seconds);
  }

  @Override
  public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException {
    return delegate.enquoteIdentifier(identifier, alwaysQuote);
  }

  @Override
  public String enquoteLiteral(String value) throws SQLException {
    return delegate.enquoteLiteral(value);
  }

  @Override
  public String enquoteNCharLiteral(String value) throws SQLException {
    return delegate.enquoteNCharLiteral(value);
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return delegate.getLargeMaxRows();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return results().getLargeUpdateCount();
  }

  @Override
  public boolean isSimpleIdentifier(String identifier) throws SQLException {
    return delegate.isSimpleIdentifier(identifier);
  }

  @Override
  public void setLargeMaxRows(long max) throws SQLException {
    delegate.setLargeMaxRows(max);
  }
}
