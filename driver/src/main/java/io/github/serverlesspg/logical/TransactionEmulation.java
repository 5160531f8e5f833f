package io.github.serverlesspg.logical;

import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * What a logical connection tells its session-state emulation about each statement and transaction boundary, for
 * the calls that change nothing in an emulation with nothing recorded yet. In session and direct mode the server
 * keeps the session, so there is nothing to emulate: {@link #NONE} does nothing, as it does for a transaction-mode
 * handle until it creates its {@link TransactionModeSession}, which applies the handle's settings to every server
 * transaction.
 */
interface TransactionEmulation {
  /** Session and direct mode. */
  TransactionEmulation NONE = new TransactionEmulation() {
  };

  /** Runs after every statement that {@link #beforeStatement} let through, whatever it threw. */
  default void afterStatement(boolean succeeded) throws SQLException {
  }

  /** Before a JDBC call that makes pgjdbc open the transaction (a savepoint). */
  default void beforeImplicitQuery() throws SQLException {
  }

  default void autoCommit(boolean autoCommit) {
  }

  /** The transaction ended through the JDBC API ({@code commit}, {@code rollback}, {@code setAutoCommit(true)}). */
  default void transactionEnded(boolean committed) {
  }

  default void rolledBackTo(Savepoint savepoint) {
  }

  default void released(Savepoint savepoint) {
  }
}
