package io.github.serverlesspg.physical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * The retry loop's own logic (which failures, how many attempts, the budget) over scripted connect outcomes: the
 * failures are the exceptions pgjdbc raises for each case. The end-to-end behaviour against real servers is in the
 * reliability tests.
 */
class RetryingConnectorTest {
  private final StubConnections stubs = new StubConnections();

  @Test
  void transientFailuresAreRetriedUntilTheConnectSucceeds() throws SQLException {
    Recorder observer = new Recorder();
    Scripted script = new Scripted(refused(), tooManyConnections(), startingUp());
    Connection connection = new RetryingConnector(script, "db:5432/app", 5_000, observer).open();
    assertThat(connection).isNotNull();
    assertThat(script.calls).isEqualTo(4);
    assertThat(observer.retried).containsExactly("08001", "53300", "57P03");
    assertThat(observer.attempts).isEqualTo(4);
    assertThat((Throwable) observer.finalFailure).isNull();
  }

  @Test
  void permanentFailuresAreNeverRetried() {
    for (SQLException permanent : List.of(new PSQLException("password authentication failed for user \"app\"",
            PSQLState.INVALID_PASSWORD), new SQLException("database \"nope\" does not exist", "3D000"),
        new PSQLException("The connection attempt failed.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
            new UnknownHostException("no-such-host")),
        new PSQLException("SSL error", PSQLState.CONNECTION_FAILURE, new SSLHandshakeException("bad certificate")),
        new PSQLException("The connection attempt failed.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
            new SocketTimeoutException("Read timed out")),
        new SQLException("password authentication failed", "08P01"))) {
      Recorder observer = new Recorder();
      Scripted script = new Scripted(permanent);
      SQLException thrown = catchThrowableOfType(SQLException.class,
          () -> new RetryingConnector(script, "db:5432/app", 5_000, observer).open());
      assertThat((Throwable) thrown).as(permanent.getMessage()).isSameAs(permanent);
      assertThat(script.calls).isEqualTo(1);
      assertThat(observer.attempts).isEqualTo(1);
    }
  }

  @Test
  void transientFailuresOfPoolersAndConnectionsAreRecognised() {
    for (SQLException failure : List.of(refused(), tooManyConnections(), startingUp(),
        new PSQLException("The connection attempt failed.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
            new EOFException()),
        new PSQLException("The connection attempt failed.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
            new SocketException("Connection reset")),
        new SQLException("ERROR: no more connections allowed (max_client_conn)", "08P01"),
        new SQLException("ERROR: server login has been failing, try again later (server_login_retry)", "08P01"),
        new SQLException("ERROR: pgbouncer cannot connect to server", "08P01"),
        new SQLException("ERROR: client_login_timeout (server down)", "08P01"),
        new SQLException("ERROR: Couldn't connect to compute node", "XX000"))) {
      assertThat(RetryingConnector.isTransient(failure)).as(failure.getMessage()).isTrue();
    }
  }

  @Test
  void noAttemptStartsAfterTheBudget() {
    Recorder observer = new Recorder();
    Scripted script = new Scripted();
    script.always = refused();
    long start = System.nanoTime();
    SQLException thrown = catchThrowableOfType(SQLException.class,
        () -> new RetryingConnector(script, "db:5432/app", 300, observer).open());
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(elapsedMillis).isLessThan(300 + 200); // the stub's attempts take no time; slack for a slow machine
    assertThat((Throwable) thrown).isInstanceOf(SQLTransientConnectionException.class);
    assertThat(thrown.getSQLState()).isEqualTo("08001");
    assertThat(thrown.getCause()).isSameAs(script.always);
    assertThat(thrown.getMessage()).contains("db:5432/app", script.calls + " attempts", "connectRetryBudget");
    assertThat(script.calls).isGreaterThan(1);
    assertThat(observer.attempts).isEqualTo(script.calls);
    assertThat((Throwable) observer.finalFailure).isSameAs(script.always);
  }

  @Test
  void anInterruptStopsTheRetries() {
    Recorder observer = new Recorder();
    Scripted script = new Scripted();
    script.always = refused();
    Thread.currentThread().interrupt();
    try {
      SQLException thrown = catchThrowableOfType(SQLException.class,
          () -> new RetryingConnector(script, "db:5432/app", 60_000, observer).open());
      assertThat((Throwable) thrown).isSameAs(script.always);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      // The first backoff may be 0 ns (full jitter), so the interrupt is seen at the first or second pause.
      assertThat(script.calls).isBetween(1, 30);
    } finally {
      Thread.interrupted();
    }
  }

  private static SQLException refused() {
    return new PSQLException("Connection to 127.0.0.1:1 refused.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
        new ConnectException("Connection refused"));
  }

  private static SQLException tooManyConnections() {
    return new SQLException("FATAL: sorry, too many clients already", "53300");
  }

  private static SQLException startingUp() {
    return new SQLException("FATAL: the database system is starting up", "57P03");
  }

  /** Fails with the given exceptions in order, then opens a stub connection (or fails with {@link #always}). */
  private final class Scripted implements Connector {
    final Deque<SQLException> failures;
    SQLException always;
    int calls;

    Scripted(SQLException... failures) {
      this.failures = new ArrayDeque<>(List.of(failures));
    }

    @Override
    public Connection open() throws SQLException {
      calls++;
      SQLException next = failures.poll();
      if (next != null) {
        throw next;
      }
      if (always != null) {
        throw always;
      }
      return stubs.open();
    }
  }

  private static final class Recorder implements PoolObserver {
    final List<String> retried = new ArrayList<>();
    int attempts;
    SQLException finalFailure;

    @Override
    public void connectRetrying(int attempt, SQLException failure, long backoffNanos) {
      retried.add(failure.getSQLState());
    }

    @Override
    public void connectAttempts(int attempts, SQLException failure) {
      this.attempts = attempts;
      this.finalFailure = failure;
    }
  }
}
