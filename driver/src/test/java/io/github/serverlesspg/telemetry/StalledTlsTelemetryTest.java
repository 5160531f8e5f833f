package io.github.serverlesspg.telemetry;

import static io.github.serverlesspg.telemetry.SemanticAttributes.ERROR_TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.testsupport.FaultProxy;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Telemetry never changes how a connection opens: against a server that accepts the TLS request and then stalls the
 * handshake, a connect with telemetry on (the driver's timing socket factories in place) fails within about
 * {@code connectTimeout=2}, as plain pgjdbc does against the same server, and its connect span records the failure.
 * The bound asserted is generous (5 s), not a speed test: before the fix the handshake ran inside {@code createSocket},
 * before pgjdbc applied its timeouts, and blocked for more than 20 s.
 */
class StalledTlsTelemetryTest {
  private static final Duration BOUND = Duration.ofSeconds(5);
  /** An in-memory SDK injected into the driver before each test and removed after it. */
  @RegisterExtension
  final TelemetryFixture telemetry = new TelemetryFixture();

  @ParameterizedTest
  @ValueSource(strings = {"sslmode=require", "sslmode=prefer", "sslmode=require&sslNegotiation=direct"})
  void aStalledHandshakeFailsWithinTheConnectTimeoutLikePlainPgjdbc(String tls) {
    try (FaultProxy server = FaultProxy.stalledTls()) {
      String parameters = "connectTimeout=2&" + tls;
      Attempt pgjdbc = attempt("jdbc:postgresql://" + server.address() + "/db?" + parameters);
      Attempt ours = attempt("jdbc:serverless-pg://" + server.address() + "/db?mode=direct&" + parameters
          + "&ApplicationName=stalled-tls-" + tls.hashCode());

      System.out.printf("stalled TLS, %s: plain pgjdbc failed after %d ms (%s), serverless-pg after %d ms (%s)%n", tls,
          pgjdbc.took.toMillis(), pgjdbc.failure.getSQLState(), ours.took.toMillis(), ours.failure.getSQLState());
      assertThat(pgjdbc.failure.getSQLState()).as("plain pgjdbc, the oracle").startsWith("08");
      assertThat(pgjdbc.took).as("plain pgjdbc, the oracle").isLessThan(BOUND);
      assertThat(ours.failure.getSQLState()).startsWith("08");
      assertThat(ours.took).as("serverless-pg with telemetry on (pgjdbc took %s)", pgjdbc.took).isLessThan(BOUND);
      assertThat(server.awaitOpenClients(0, Duration.ofSeconds(10))).as("every socket was closed").isTrue();

      List<SpanData> connects = telemetry.named(ConnectTrace.SPAN_NAME);
      assertThat(connects).hasSize(1);
      SpanData connect = connects.get(0);
      assertThat(connect.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(connect.getAttributes().get(ERROR_TYPE)).isEqualTo(ours.failure.getSQLState());
    }
  }

  private record Attempt(SQLException failure, Duration took) {
  }

  private static Attempt attempt(String url) {
    Properties credentials = new Properties();
    credentials.setProperty("user", "nobody");
    credentials.setProperty("password", "unused");
    long start = System.nanoTime();
    try (Connection unexpected = DriverManager.getConnection(url, credentials)) {
      throw new AssertionError("connected to a server that never completes the handshake: " + unexpected);
    } catch (SQLException e) {
      return new Attempt(e, Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
