package io.github.serverlesspg.logical;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * Tells a commit that failed cleanly from one whose outcome nobody knows.
 *
 * <p>Once {@code COMMIT} has left the client, losing the connection (an I/O error, SQLSTATE class 08, or the server
 * or pooler going away with 57P01-57P03) says nothing about whether the server committed: it may have written the
 * commit record and died before answering. pgjdbc reports such a failure like any other, so an application that
 * retries on it can apply a transaction twice. This class reports it as SQLSTATE {@value #UNKNOWN} ("transaction
 * resolution unknown") with the original failure as cause, so callers can tell it from a failure after which the
 * transaction certainly did not commit (a serialization failure at commit, a deferred constraint, a connection
 * that was already gone before {@code COMMIT} was sent).
 */
public final class CommitOutcome {
  /** {@code 08007}: transaction resolution unknown. */
  public static final String UNKNOWN = "08007";

  private CommitOutcome() {
  }

  /**
   * Commits through pgjdbc, reporting a connection lost while {@code COMMIT} was in flight as {@value #UNKNOWN}.
   * A transaction that is idle (pgjdbc sends nothing) or already failed (the server can only roll it back) is never
   * reported unknown.
   */
  public static void commit(Connection delegate) throws SQLException {
    boolean inFlight = mayCommit(delegate);
    try {
      delegate.commit();
    } catch (SQLException e) {
      throw inFlight ? translate(e) : e;
    }
  }

  /**
   * Whether a {@code COMMIT} sent now could commit something: a transaction is open and has not failed, on a
   * connection that is still open (pgjdbc refuses a closed one before sending anything).
   */
  static boolean mayCommit(Connection delegate) throws SQLException {
    if (delegate.isClosed()) {
      return false;
    }
    if (delegate instanceof BaseConnection base) {
      return base.getTransactionState() == TransactionState.OPEN;
    }
    return true; // unknown driver state: assume the worst
  }

  /**
   * The failure of a {@code COMMIT} that was sent: a lost connection becomes {@value #UNKNOWN} with {@code failure}
   * as cause; anything else (the server answered) is returned unchanged.
   */
  public static SQLException translate(SQLException failure) {
    if (!isConnectionLoss(failure)) {
      return failure;
    }
    return new SQLNonTransientConnectionException("The connection was lost while COMMIT was in "
        + "flight (SQLSTATE " + failure.getSQLState() + "): the transaction may or may not have committed. Check "
        + "whether its effects are present before repeating it, or make it idempotent.", UNKNOWN, failure);
  }

  /**
   * Whether {@code sql} is a plain {@code COMMIT} or {@code END} statement (with optional {@code WORK} /
   * {@code TRANSACTION} / {@code AND [NO] CHAIN}). Cheap enough for every execution: most statements are rejected
   * by their first letter. {@code COMMIT PREPARED} is not one: it does not end the current transaction.
   */
  static boolean isCommitStatement(String sql) {
    int length = sql.length();
    int start = 0;
    while (start < length && Character.isWhitespace(sql.charAt(start))) {
      start++;
    }
    if (start == length) {
      return false;
    }
    char first = sql.charAt(start);
    int keyword;
    if (first == 'c' || first == 'C') {
      keyword = 6;
      if (!sql.regionMatches(true, start, "COMMIT", 0, keyword)) {
        return false;
      }
    } else if (first == 'e' || first == 'E') {
      keyword = 3;
      if (!sql.regionMatches(true, start, "END", 0, keyword)) {
        return false;
      }
    } else {
      return false;
    }
    int end = start + keyword;
    if (end < length && !Character.isWhitespace(sql.charAt(end)) && sql.charAt(end) != ';') {
      return false; // COMMITTED, ENDING, ...
    }
    String rest = sql.substring(end).trim();
    return rest.isEmpty() || !rest.regionMatches(true, 0, "PREPARED", 0, 8);
  }

  /** Whether the failure is {@value #UNKNOWN}, from this class or anyone else. */
  public static boolean isUnknown(SQLException failure) {
    return UNKNOWN.equals(failure.getSQLState());
  }

  /**
   * A failure that means the connection is gone, not that the server answered: SQLSTATE class 08, 57P01-57P03
   * (admin shutdown, crash shutdown, cannot connect now), or an I/O error without a state.
   */
  public static boolean isConnectionLoss(SQLException failure) {
    if (ConnectionErrors.isFatal(failure)) {
      return true;
    }
    return failure.getSQLState() == null && failure.getCause() instanceof IOException;
  }
}
