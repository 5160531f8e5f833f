package io.github.serverlesspg.telemetry;

import static io.github.serverlesspg.telemetry.SemanticAttributes.MODE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.PROBE_RESULT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connect span of a {@code mode=auto} target whose endpoint was probed says what the probe found. With
 * {@code reuse=false}: no idle connection of this test stays open to take one of PostgreSQL's 30 slots from the tests
 * that need them all.
 */
class ProbeTelemetryTest {
  /** An in-memory SDK injected into the driver before each test and removed after it. */
  @RegisterExtension
  final TelemetryFixture telemetry = new TelemetryFixture();

  @Test
  void connectSpanStraightAtPostgresSaysServerAndDirect() throws SQLException {
    PostgresServer postgres = DatabaseEnvironment.shared().postgres();
    String url = "jdbc:serverless-pg://" + postgres.host() + ":" + postgres.port() + "/" + postgres.database()
        + "?ApplicationName=probe-span-direct&reuse=false";
    try (Connection connection = DriverManager.getConnection(url, postgres.credentials())) {
      assertThat(connection.isValid(1)).isTrue();
    }
    DriverManager.getConnection(url, postgres.credentials()).close(); // probed before: the verdict stays on the span
    List<SpanData> connects = telemetry.named(ConnectTrace.SPAN_NAME);
    assertThat(connects).hasSize(2).allSatisfy(span -> {
      assertThat(span.getAttributes().get(PROBE_RESULT)).isEqualTo("server");
      assertThat(span.getAttributes().get(MODE)).isEqualTo("direct");
    });
  }

  @Test
  void connectSpanThroughPgBouncerSaysPoolerAndTransaction() throws SQLException {
    PgBouncerServer pooler = DatabaseEnvironment.shared().transactionPooler();
    String url = "jdbc:serverless-pg://" + pooler.host() + ":" + pooler.port() + "/" + pooler.database()
        + "?ApplicationName=probe-span-pooler&reuse=false";
    try (Connection connection = DriverManager.getConnection(url, pooler.credentials())) {
      assertThat(connection.isValid(1)).isTrue();
    }
    SpanData connect = telemetry.named(ConnectTrace.SPAN_NAME).get(0);
    assertThat(connect.getAttributes().get(PROBE_RESULT)).isEqualTo("pooler");
    assertThat(connect.getAttributes().get(MODE)).isEqualTo("transaction");
  }
}
