package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.testsupport.FaultProxy;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every physical connect is bounded without pgjdbc's login thread: against a server that accepts and never answers
 * (the fault proxy's unresponsive mode) a connect fails within about {@code connectTimeout}, closes its socket and
 * frees its slot; on a healthy server the bound is gone once the connection is open.
 */
@RealDatabase
class ConnectBoundTest {

  @Test
  void aSilentServerWithoutTlsFailsWithinConnectTimeout() {
    try (FaultProxy silent = FaultProxy.unresponsive()) {
      long start = System.nanoTime();
      SQLException error = catchThrowableOfType(SQLException.class, () -> connect(silent, "sslmode=disable"));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(error.getSQLState()).startsWith("08");
      // connectTimeout=1: one second for the startup answer (plain pgjdbc would wait forever)
      assertThat(took).isLessThan(Duration.ofSeconds(8));
      assertThat(silent.awaitOpenClients(0, Duration.ofSeconds(10))).as("the socket was closed").isTrue();
    }
  }

  @Test
  void aSilentServerWithSslPreferFailsWithinConnectTimeoutNotFiveSeconds() {
    try (FaultProxy silent = FaultProxy.unresponsive()) {
      long start = System.nanoTime();
      SQLException error = catchThrowableOfType(SQLException.class, () -> connect(silent, "sslmode=prefer"));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(error.getSQLState()).startsWith("08");
      // 1 s for the answer to the TLS request, 1 s for the plain retry prefer makes: not pgjdbc's fixed 5 s
      assertThat(took).isLessThan(Duration.ofMillis(4_500));
      assertThat(silent.awaitOpenClients(0, Duration.ofSeconds(10))).isTrue();
    }
  }

  /** A failed connect gives its slot back: with maxConnections=1 the next attempt connects, it does not queue. */
  @Test
  void aFailedConnectFreesItsSlot() {
    try (FaultProxy silent = FaultProxy.unresponsive()) {
      for (int attempt = 0; attempt < 3; attempt++) {
        SQLException error = catchThrowableOfType(SQLException.class,
            () -> connect(silent, "bound-slot", "sslmode=disable&maxConnections=1&acquireTimeout=200"));
        assertThat(error.getMessage()).doesNotContain("waiting for a physical connection");
      }
      assertThat(silent.accepted()).isEqualTo(3);
    }
  }

  @Test
  void theBoundIsLiftedOnceConnectedAndAnApplicationTimeoutIsKept(PostgresServer postgres) throws SQLException {
    try (Connection connection = Targets.connect(Targets.direct(postgres, "bound-lifted", ""),
        postgres.credentials())) {
      assertThat(connection.getNetworkTimeout()).isZero();
    }
    try (Connection connection = Targets.connect(Targets.direct(postgres, "bound-own", "socketTimeout=7"),
        postgres.credentials())) {
      assertThat(connection.getNetworkTimeout()).isEqualTo(7_000);
    }
  }

  private static Connection connect(FaultProxy server, String parameters) throws SQLException {
    return connect(server, "bound-" + System.nanoTime(), parameters);
  }

  private static Connection connect(FaultProxy server, String application, String parameters) throws SQLException {
    Properties credentials = new Properties();
    credentials.setProperty("user", "nobody");
    credentials.setProperty("password", "unused");
    return DriverManager.getConnection("jdbc:serverless-pg://" + server.address() + "/db?mode=direct&connectTimeout=1"
        + "&ApplicationName=" + application + "&" + parameters, credentials);
  }
}
