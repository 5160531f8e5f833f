package io.github.serverlesspg.physical;

import io.github.serverlesspg.routing.ProbeVerdict;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * Tells a pooler from PostgreSQL itself on a freshly opened connection, with one round trip: the process id in the
 * BackendKeyData the endpoint answered the startup with against {@code pg_backend_pid()} (see {@link ProbeVerdict}).
 * The round trip is bounded like the connect it belongs to: an endpoint that accepted the login and then never
 * answers fails the connect instead of blocking it.
 */
final class PoolerProbe {
  static final String QUERY = "select pg_backend_pid()";

  private PoolerProbe() {
  }

  /**
   * @throws SQLException when the connection broke during the probe (SQLSTATE class 08); any other failure of the
   *     query (a server without {@code pg_backend_pid()}) makes the verdict "pooler", the safe side
   */
  static ProbeVerdict probe(Connection connection, int timeoutMillis) throws SQLException {
    int announced = connection.unwrap(PGConnection.class).getBackendPID();
    int actual;
    int previousTimeout = connection.getNetworkTimeout();
    connection.setNetworkTimeout(DirectExecutor.INSTANCE, timeoutMillis);
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(QUERY)) {
      result.next();
      actual = result.getInt(1);
    } catch (SQLException e) {
      String state = e.getSQLState();
      if (state != null && state.startsWith("08")) {
        throw e;
      }
      return new ProbeVerdict(ProbeVerdict.Kind.POOLER, QUERY + " failed with SQLSTATE " + state
          + ", so the endpoint is taken for a pooler");
    } finally {
      if (!connection.isClosed()) {
        connection.setNetworkTimeout(DirectExecutor.INSTANCE, previousTimeout);
      }
    }
    return announced == actual
        ? new ProbeVerdict(ProbeVerdict.Kind.SERVER, "BackendKeyData process id " + announced + " = " + QUERY)
        : new ProbeVerdict(ProbeVerdict.Kind.POOLER,
            "BackendKeyData process id " + announced + " != " + QUERY + " " + actual);
  }

  /** Runs on the calling thread; pgjdbc's setNetworkTimeout does not use its executor. */
  private static final class DirectExecutor implements java.util.concurrent.Executor {
    static final DirectExecutor INSTANCE = new DirectExecutor();

    @Override
    public void execute(Runnable command) {
      command.run();
    }
  }
}
