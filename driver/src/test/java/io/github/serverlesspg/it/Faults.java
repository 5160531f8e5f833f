package io.github.serverlesspg.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Real failures a unit of work can run into, caused through the server itself, never simulated in the client. */
enum Faults {
  /** The unit runs to its end and commits. */
  NONE,
  /** A statement fails with 40001, as under SERIALIZABLE contention. */
  SERIALIZATION,
  /** A statement fails with 40P01, as when PostgreSQL breaks a deadlock. */
  DEADLOCK,
  /** The backend terminates in the middle of the unit (57P01): connection lost before COMMIT was sent. */
  CONNECTION_LOSS,
  /** The backend terminates while COMMIT runs: the client cannot know the outcome (here: rolled back). */
  COMMIT_LOSS,
  /** A statement violates a constraint (23514): a failure that repeats on every attempt. */
  CONSTRAINT;

  /** Makes the fault happen on {@code connection}, in the unit's transaction, for the unit {@code id}. */
  void inject(Connection connection, long id) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      switch (this) {
        case SERIALIZATION:
          statement.execute("do $$ begin raise exception 'injected' using errcode = '40001'; end $$");
          break;
        case DEADLOCK:
          statement.execute("do $$ begin raise exception 'injected' using errcode = '40P01'; end $$");
          break;
        case CONNECTION_LOSS:
          statement.execute("select pg_terminate_backend(pg_backend_pid())");
          break;
        case COMMIT_LOSS:
          statement.execute("insert into fault_die_at_commit(id) values (" + id + ")");
          break;
        case CONSTRAINT:
          statement.execute("do $$ begin raise exception 'injected' using errcode = '23514'; end $$");
          break;
        default:
          break;
      }
    }
  }

  /** Whether the helper runs the unit again after this fault. */
  boolean retryable(boolean idempotent) {
    return this == SERIALIZATION || this == DEADLOCK || this == CONNECTION_LOSS
        || (this == COMMIT_LOSS && idempotent);
  }

  /** The SQLSTATE the helper reports when this fault ends the unit. */
  String reportedState() {
    switch (this) {
      case SERIALIZATION:
        return "40001";
      case DEADLOCK:
        return "40P01";
      case COMMIT_LOSS:
        return "08007";
      case CONSTRAINT:
        return "23514";
      default:
        return "57P01|08.*";
    }
  }
}
