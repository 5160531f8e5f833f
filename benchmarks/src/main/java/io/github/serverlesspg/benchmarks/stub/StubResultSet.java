package io.github.serverlesspg.benchmarks.stub;

import java.sql.Statement;

/** One row with one {@code int} column. */
final class StubResultSet extends UnsupportedResultSet {
  private final Statement statement;
  private final int value;
  private boolean beforeRow = true;
  private boolean closed;

  StubResultSet(Statement statement, int value) {
    this.statement = statement;
    this.value = value;
  }

  @Override
  public boolean next() {
    boolean hasRow = beforeRow;
    beforeRow = false;
    return hasRow;
  }

  @Override
  public int getInt(int columnIndex) {
    return value;
  }

  @Override
  public boolean wasNull() {
    return false;
  }

  @Override
  public Statement getStatement() {
    return statement;
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
