package io.github.serverlesspg.cli.doctor;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * Tells PostgreSQL from a pooler, and a transaction pooler from a session pooler, by asking the server rather than
 * guessing from host names or ports.
 *
 * <p>A pooler answers the startup itself, with its own BackendKeyData: the process id pgjdbc reports
 * ({@link PGConnection#getBackendPID()}) then differs from {@code pg_backend_pid()}, which the real backend answers.
 * Straight to PostgreSQL the two are equal.
 *
 * <p>A session pooler ties a client to one backend for the whole session; a transaction pooler hands the backend
 * back after every transaction. So while this client stays connected, another client getting this client's
 * backend, or this client seeing its backend change between two statements, proves transaction pooling.
 */
final class PoolerProbe {
  enum Kind {
    NONE, TRANSACTION, SESSION
  }

  record Result(Kind kind, int reportedPid, int backendPid, String evidence) {
  }

  /** Opens another client connection through the same endpoint; its waits are bounded by its socket timeout. */
  interface Connector {
    Connection connect() throws SQLException;
  }

  private static final int ATTEMPTS = 3;

  private PoolerProbe() {
  }

  static Result probe(Connection connection, Connector other) throws SQLException {
    int reported = connection.unwrap(PGConnection.class).getBackendPID();
    int backend = backendPid(connection);
    if (reported == backend) {
      return new Result(Kind.NONE, reported, backend,
          "backend pid " + backend + " is the one announced at startup: PostgreSQL itself answered");
    }
    String pooled = "startup announced pid " + reported + " but the backend is " + backend + ": a pooler answered";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      int otherBackend;
      try (Connection second = other.connect()) {
        otherBackend = backendPid(second);
      } catch (SQLException e) {
        if (timedOut(e)) {
          return new Result(Kind.SESSION, reported, backend, pooled + "; a second client had to wait for a backend"
              + " while this one sat idle holding pid " + backend + " (session pooling)");
        }
        throw e;
      }
      if (otherBackend == backend) {
        return new Result(Kind.TRANSACTION, reported, backend, pooled + "; a second client got this client's"
            + " backend " + backend + " between two of its statements (transaction pooling)");
      }
      int again = backendPid(connection);
      if (again != backend) {
        return new Result(Kind.TRANSACTION, reported, backend, pooled + "; this client's backend changed from "
            + backend + " to " + again + " between two statements (transaction pooling)");
      }
    }
    return new Result(Kind.SESSION, reported, backend, pooled + "; this client kept backend " + backend
        + " across statements while " + ATTEMPTS + " other clients got other backends (session pooling)");
  }

  private static int backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select pg_backend_pid()")) {
      result.next();
      return result.getInt(1);
    }
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
