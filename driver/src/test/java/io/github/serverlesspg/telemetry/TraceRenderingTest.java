package io.github.serverlesspg.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.TraceTree;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cold and a warm serverless invocation through the transaction-mode PgBouncer, rendered as the trace trees a
 * trace view shows (written to {@code target/trace-example.txt}; docs/telemetry.md shows one such rendering).
 */
class TraceRenderingTest {
  /** An in-memory SDK injected into the driver before each test and removed after it. */
  @RegisterExtension
  final TelemetryFixture telemetry = new TelemetryFixture();

  @Test
  void coldInvocationShowsConnectPhasesAndWarmInvocationDoesNot() throws Exception {
    PgBouncerServer pooler = DatabaseEnvironment.shared().transactionPooler();
    String url = "jdbc:serverless-pg://" + pooler.host() + ":" + pooler.port() + "/" + pooler.database()
        + "?mode=transaction&maxConnections=1&ApplicationName=trace-rendering";
    Tracer tracer = telemetry.sdk.getTracer("example-function");
    invoke(tracer, "invocation 1 (cold)", url, pooler.credentials());
    invoke(tracer, "invocation 2 (warm)", url, pooler.credentials());

    List<SpanData> spans = telemetry.spans.getFinishedSpanItems();
    SpanData cold = root(spans, "invocation 1 (cold)");
    SpanData warm = root(spans, "invocation 2 (warm)");
    String coldTree = render(spans, cold);
    String warmTree = render(spans, warm);
    assertThat(coldTree).contains(ConnectTrace.SPAN_NAME, "dns", "tcp", "auth", "select pg_stat_activity");
    assertThat(warmTree).contains(ConnectTrace.SPAN_NAME, "connection.origin=warm", "select pg_stat_activity")
        .doesNotContain("dns", "tcp", "auth");
    String health = ServerlessPgDriver.health(url, pooler.credentials()).toJson();
    assertThat(health).contains("\"status\": \"healthy\"", "\"mode\": \"transaction\"", "\"totalQueries\": 2");
    Files.writeString(Path.of("target", "trace-example.txt"), coldTree + "\n" + warmTree + "\n" + health,
        StandardCharsets.UTF_8);
  }

  private static void invoke(Tracer tracer, String name, String url, Properties credentials) throws Exception {
    Span invocation = tracer.spanBuilder(name).startSpan();
    try (Scope ignored = invocation.makeCurrent();
        Connection connection = DriverManager.getConnection(url, credentials);
        PreparedStatement statement = connection.prepareStatement(
            "select count(*) from pg_stat_activity where state = ?")) {
      statement.setString(1, "active");
      try (ResultSet result = statement.executeQuery()) {
        result.next();
      }
    } finally {
      invocation.end();
    }
  }

  private static SpanData root(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  private static String render(List<SpanData> spans, SpanData root) {
    return TraceTree.render(spans, root, "", Set.of("connection.origin", "db.query.text", "server.port", "mode"));
  }
}
