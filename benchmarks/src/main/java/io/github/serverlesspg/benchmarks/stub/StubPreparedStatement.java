package io.github.serverlesspg.benchmarks.stub;

import java.sql.Connection;
import java.sql.ResultSet;

/** Remembers its one {@code int} parameter and returns it as a one-row result. */
final class StubPreparedStatement extends UnsupportedPreparedStatement {
  private final StubConnection connection;
  private int parameter;
  /** Reachable from the statement, as a real driver's current result is (see {@link StubConnection}). */
  private ResultSet currentResult;
  private boolean closed;

  StubPreparedStatement(StubConnection connection) {
    this.connection = connection;
  }

  @Override
  public void setInt(int parameterIndex, int value) {
    parameter = value;
  }

  @Override
  public ResultSet executeQuery() {
    currentResult = new StubResultSet(this, parameter);
    return currentResult;
  }

  @Override
  public boolean execute(String sql) {
    return false;
  }

  @Override
  public Connection getConnection() {
    return connection;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
