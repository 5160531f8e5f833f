package io.github.serverlesspg.benchmarks.stub;

import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * A connection that is always idle in autocommit: statements are created per call, as a real driver does, and
 * transaction ends do nothing.
 */
final class StubConnection extends UnsupportedConnection {
  /**
   * Keeps the newest statement reachable, as a real driver's connection reaches its statements: otherwise escape
   * analysis removes the unwrapped stub's allocations entirely and the baseline is a no-op no driver achieves.
   */
  private Statement newestStatement;
  private boolean closed;
  private boolean autoCommit = true;

  @Override
  public PreparedStatement prepareStatement(String sql) {
    StubPreparedStatement statement = new StubPreparedStatement(this);
    newestStatement = statement;
    return statement;
  }

  /** Used by a logical connection's reset on close (its {@code ROLLBACK}), never on the measured path. */
  @Override
  public Statement createStatement() {
    return new StubPreparedStatement(this);
  }

  @Override
  public boolean getAutoCommit() {
    return autoCommit;
  }

  @Override
  public void setAutoCommit(boolean autoCommit) {
    this.autoCommit = autoCommit;
  }

  @Override
  public void commit() {
  }

  @Override
  public void rollback() {
  }

  @Override
  public boolean isValid(int timeoutSeconds) {
    return !closed;
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
