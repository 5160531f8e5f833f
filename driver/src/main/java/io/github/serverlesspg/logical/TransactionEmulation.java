package io.github.serverlesspg.logical;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * What a logical connection tells its session-state emulation about each statement and transaction boundary. In
 * session and direct mode the server keeps the session, so there is nothing to emulate: {@link #NONE} does nothing.
 * In transaction mode {@link TransactionModeSession} applies the handle's settings to every server transaction.
 */
interface TransactionEmulation {
  /** Session and direct mode. */
  TransactionEmulation NONE = new TransactionEmulation() {
  };

  /**
   * Runs right before a statement is sent and returns the SQL to send instead of {@code sql}: itself, or the
   * transaction-scoped rewrite of a setting change. Whatever an earlier statement left behind is forgotten first.
   *
   * @param rewritable whether the caller sends the returned SQL (not a batch)
   */
  default String beforeStatement(String sql, StatementTraits traits, boolean rewritable) throws SQLException {
    return sql;
  }

  /** Runs after every statement that {@link #beforeStatement} let through, whatever it threw. */
  default void afterStatement(boolean succeeded) throws SQLException {
  }

  /** One statement of a batch, checked when added: batches are never rewritten. */
  default void checkBatchEntry(String sql, StatementTraits traits) throws SQLException {
  }

  /** The SQL to prepare for {@code sql}. */
  default String sqlToPrepare(String sql) {
    return sql;
  }

  /** pgjdbc's metadata, made to open transactions the way the handle's statements do. */
  default DatabaseMetaData metaData(DatabaseMetaData metaData) {
    return metaData;
  }

  /** Before a JDBC call that makes pgjdbc open the transaction (a savepoint). */
  default void beforeImplicitQuery() throws SQLException {
  }

  default void autoCommit(boolean autoCommit) {
  }

  /** The transaction ended through the JDBC API ({@code commit}, {@code rollback}, {@code setAutoCommit(true)}). */
  default void transactionEnded(boolean committed) {
  }

  default void savepointSet(Savepoint savepoint) {
  }

  default void rolledBackTo(Savepoint savepoint) {
  }

  default void released(Savepoint savepoint) {
  }
}
