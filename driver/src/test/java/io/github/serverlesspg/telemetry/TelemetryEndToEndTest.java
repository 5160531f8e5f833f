package io.github.serverlesspg.telemetry;

import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_NAMESPACE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_OPERATION_BATCH_SIZE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_OPERATION_NAME;
import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_QUERY_TEXT;
import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_RESPONSE_STATUS_CODE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_SYSTEM_NAME;
import static io.github.serverlesspg.telemetry.SemanticAttributes.ERROR_TYPE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.ORIGIN;
import static io.github.serverlesspg.telemetry.SemanticAttributes.PHASE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.REASON;
import static io.github.serverlesspg.telemetry.SemanticAttributes.SERVER_ADDRESS;
import static io.github.serverlesspg.telemetry.SemanticAttributes.SERVER_PORT;
import static io.github.serverlesspg.telemetry.SemanticAttributes.VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.sql.QueryDescription;
import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spans, metrics and health against a real PostgreSQL with TLS. */
class TelemetryEndToEndTest {
  private static TelemetryDatabase postgres;
  private TelemetryFixture telemetry;

  @BeforeAll
  static void startDatabase() throws Exception {
    postgres = TelemetryDatabase.shared();
  }

  @BeforeEach
  void installSdk() {
    telemetry = new TelemetryFixture().install();
  }

  @AfterEach
  void uninstallSdk() {
    telemetry.uninstall();
  }

  /** A URL of its own per test, so that each starts without a pool (ApplicationName is part of the cache key). */
  private static String url(String test, String parameters) {
    return postgres.url("sslmode=require&ApplicationName=" + test + (parameters.isEmpty() ? "" : "&" + parameters));
  }

  private SpanData onlyConnectSpan() {
    List<SpanData> connects = telemetry.named(ConnectTrace.SPAN_NAME);
    assertThat(connects).hasSize(1);
    return connects.get(0);
  }

  @Test
  void coldConnectShowsFourMeasuredPhasesInsideTheConnectSpan() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url("cold", ""))) {
      assertThat(connection.isValid(1)).isTrue();
    }
    SpanData connect = onlyConnectSpan();
    assertThat(connect.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(connect.getAttributes().get(ORIGIN)).isEqualTo("cold");
    assertThat(connect.getAttributes().get(DB_SYSTEM_NAME)).isEqualTo("postgresql");
    assertThat(connect.getAttributes().get(SERVER_ADDRESS)).isEqualTo(postgres.host());
    assertThat(connect.getAttributes().get(SERVER_PORT)).isEqualTo((long) postgres.port());
    assertThat(connect.getAttributes().get(DB_NAMESPACE)).isEqualTo(postgres.database());
    assertThat(connect.getInstrumentationScopeInfo().getName()).isEqualTo("io.github.serverlesspg");
    assertThat(connect.getInstrumentationScopeInfo().getSchemaUrl()).isEqualTo(SemanticAttributes.SCHEMA_URL);

    List<SpanData> phases = telemetry.childrenOf(connect).stream()
        .filter(s -> s.getAttributes().get(PHASE) != null).collect(Collectors.toList());
    assertThat(phases).extracting(s -> s.getAttributes().get(PHASE))
        .containsExactly(TimedConnector.DNS, TimedConnector.TCP, TimedConnector.TLS, TimedConnector.AUTH);
    long sum = 0;
    for (SpanData phase : phases) {
      long duration = phase.getEndEpochNanos() - phase.getStartEpochNanos();
      assertThat(duration).as(phase.getName()).isGreaterThan(0);
      assertThat(phase.getStartEpochNanos()).isGreaterThanOrEqualTo(connect.getStartEpochNanos());
      assertThat(phase.getEndEpochNanos()).isLessThanOrEqualTo(connect.getEndEpochNanos());
      sum += duration;
    }
    assertThat(sum).isLessThanOrEqualTo(connect.getEndEpochNanos() - connect.getStartEpochNanos());
    // A real TLS handshake with a 2048-bit key is not free; a fake phase would be near zero.
    SpanData tls = phases.get(2);
    assertThat(tls.getEndEpochNanos() - tls.getStartEpochNanos()).isGreaterThan(100_000);
  }

  @Test
  void warmConnectReusesAndHasNoPhases() throws SQLException {
    String url = url("warm", "");
    DriverManager.getConnection(url).close();
    telemetry.spans.reset();
    DriverManager.getConnection(url).close();
    SpanData connect = onlyConnectSpan();
    assertThat(connect.getAttributes().get(ORIGIN)).isEqualTo("warm");
    assertThat(telemetry.childrenOf(connect)).isEmpty();
  }

  @Test
  void deadConnectionIsValidatedAndReplacedVisibly() throws Exception {
    String url = url("dead", "validationWindow=0");
    DriverManager.getConnection(url).close();
    // The fixture waits until the backend has exited, so the next borrow finds the connection dead.
    assertThat(postgres.terminate("dead")).isEqualTo(1);
    telemetry.spans.reset();
    try (Connection connection = DriverManager.getConnection(url)) {
      assertThat(connection.isValid(1)).isTrue();
    }
    SpanData connect = onlyConnectSpan();
    assertThat(connect.getAttributes().get(ORIGIN)).isEqualTo("replaced");
    List<SpanData> children = telemetry.childrenOf(connect);
    assertThat(children).filteredOn(s -> s.getName().equals(PoolMetrics.VALIDATE_SPAN))
        .singleElement().satisfies(s -> assertThat(s.getAttributes().get(VALID)).isFalse());
    assertThat(connect.getEvents()).anySatisfy(event -> {
      assertThat(event.getName()).isEqualTo(PoolMetrics.CLOSED_EVENT);
      assertThat(event.getAttributes().get(REASON)).isEqualTo("failed validation");
    });
    assertThat(children).extracting(s -> s.getAttributes().get(PHASE)).contains(TimedConnector.AUTH);
  }

  @Test
  void querySpansCarryTheConventionsAttributesUnderTheCallersSpan() throws SQLException {
    String sql = "SELECT ?::text AS value";
    Span parent = telemetry.sdk.getTracer("test").spanBuilder("request").startSpan();
    try (Scope ignored = parent.makeCurrent();
        Connection connection = DriverManager.getConnection(url("query", ""));
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, "bound-value-123");
      statement.executeQuery().close();
    } finally {
      parent.end();
    }
    QueryDescription description = QueryDescription.of(sql);
    SpanData query = telemetry.withAttribute(DB_QUERY_TEXT, description.queryText()).get(0);
    assertThat(query.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(query.getName()).isEqualTo(description.spanName());
    assertThat(query.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(query.getAttributes().get(DB_SYSTEM_NAME)).isEqualTo("postgresql");
    assertThat(query.getAttributes().get(DB_NAMESPACE)).isEqualTo(postgres.database());
    assertThat(query.getAttributes().get(SERVER_ADDRESS)).isEqualTo(postgres.host());
    assertThat(query.getAttributes().get(SERVER_PORT)).isEqualTo((long) postgres.port());
    assertThat(query.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(query.getAttributes().asMap().values()).noneMatch(v -> v.toString().contains("bound-value-123"));
  }

  @Test
  void failingQueryRecordsItsSqlState() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url("failing", ""));
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM no_such_table"))
          .isInstanceOf(SQLException.class);
    }
    SpanData failed = telemetry.spans.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(failed.getAttributes().get(DB_RESPONSE_STATUS_CODE)).isEqualTo("42P01");
    assertThat(failed.getAttributes().get(ERROR_TYPE)).isEqualTo("42P01");
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getEvents()).isEmpty();
  }

  @Test
  void batchHasItsSizeAndTransactionEndsAreVisible() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url("batch", ""))) {
      connection.createStatement().execute("CREATE TEMP TABLE items (id int)");
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO items VALUES (?)")) {
        for (int i = 0; i < 3; i++) {
          insert.setInt(1, i);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      connection.commit();
      connection.rollback();
    }
    SpanData batch = telemetry.spans.getFinishedSpanItems().stream()
        .filter(s -> s.getAttributes().get(DB_OPERATION_BATCH_SIZE) != null).findFirst().orElseThrow();
    assertThat(batch.getAttributes().get(DB_OPERATION_BATCH_SIZE)).isEqualTo(3L);
    assertThat(batch.getAttributes().get(DB_OPERATION_NAME)).startsWith("BATCH");
    assertThat(telemetry.withAttribute(DB_QUERY_TEXT, QueryDescription.of("COMMIT").sanitizedText())).hasSize(1);
    assertThat(telemetry.withAttribute(DB_QUERY_TEXT, QueryDescription.of("ROLLBACK").sanitizedText())).hasSize(1);
  }

  @Test
  void queryTextOffDropsTheText() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url("notext", "queryText=off"))) {
      connection.createStatement().executeQuery("SELECT 1").close();
    }
    assertThat(telemetry.spans.getFinishedSpanItems()).filteredOn(s -> s.getKind() == SpanKind.CLIENT)
        .isNotEmpty().allSatisfy(s -> assertThat(s.getAttributes().get(DB_QUERY_TEXT)).isNull());
  }

  @Test
  void telemetryOffEmitsNothing() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url("off", "telemetry=off"))) {
      connection.createStatement().executeQuery("SELECT 1").close();
    }
    assertThat(telemetry.spans.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void metricsFollowTheConventions() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url("metrics", ""))) {
      connection.createStatement().executeQuery("SELECT 1").close();
    }
    List<MetricData> metrics = List.copyOf(telemetry.metrics.collectAllMetrics());
    assertThat(metrics).extracting(MetricData::getName).contains("db.client.operation.duration",
        "db.client.connection.create_time", "db.client.connection.wait_time", "db.client.connection.use_time",
        "db.client.connection.count", "db.client.connection.max", "serverless_pg.connects");
    MetricData duration = metrics.stream().filter(m -> m.getName().equals("db.client.operation.duration"))
        .findFirst().orElseThrow();
    assertThat(duration.getUnit()).isEqualTo("s");
    assertThat(duration.getHistogramData().getPoints()).isNotEmpty().allSatisfy(point -> {
      assertThat(point.getBoundaries()).containsExactly(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);
      assertThat(point.getAttributes().get(DB_SYSTEM_NAME)).isEqualTo("postgresql");
    });
  }

  @Test
  void healthReportsALiveRoundTripPoolAndQueries() throws Exception {
    String url = url("health", "jmx=on");
    try (Connection connection = DriverManager.getConnection(url)) {
      connection.createStatement().executeQuery("SELECT 1").close();
    }
    HealthSnapshot health = ServerlessPgDriver.health(url, new Properties());
    assertThat(health.status()).isEqualTo(HealthSnapshot.Status.HEALTHY);
    assertThat(health.databaseLatencyMillis()).isBetween(0L, 2_000L);
    assertThat(health.pool().total()).isGreaterThanOrEqualTo(1);
    assertThat(health.totalQueries()).isGreaterThanOrEqualTo(1);
    assertThat(health.toJson()).contains("\"status\": \"healthy\"", "\"mode\": \"direct\"", "\"totalQueries\"",
        "\"p99Latency\"", "\"connections\"");
    Object total = ManagementFactory.getPlatformMBeanServer()
        .getAttribute(TargetTelemetry.objectName(health.target()), "TotalQueries");
    assertThat((Long) total).isGreaterThanOrEqualTo(1);
  }

  @Test
  void jmxAutoRegistersUnderAJmxAgentAndOffNever() throws Exception {
    // As when the JVM is started with -Dcom.sun.management.jmxremote.
    System.setProperty("com.sun.management.jmxremote", "");
    try {
      DatabaseEnvironment environment = DatabaseEnvironment.shared();
      // Each setting on a target of its own: the MBean is per target (host:port/database).
      PgBouncerServer[] targets = {environment.transactionPooler(), environment.sessionPooler()};
      String[] settings = {"auto", "off"};
      for (int i = 0; i < settings.length; i++) {
        PgBouncerServer pooler = targets[i];
        String url = "jdbc:serverless-pg://" + pooler.host() + ":" + pooler.port() + "/" + pooler.database()
            + "?mode=session&ApplicationName=jmx-" + settings[i] + "&jmx=" + settings[i];
        DriverManager.getConnection(url, pooler.credentials()).close();
        String target = ServerlessPgDriver.health(url, pooler.credentials()).target();
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(TargetTelemetry.objectName(target)))
            .as("jmx=%s", settings[i]).isEqualTo(settings[i].equals("auto"));
      }
    } finally {
      System.clearProperty("com.sun.management.jmxremote");
    }
  }

  @Test
  void healthOfAnUnreachableDatabaseIsUnhealthyNotAnException() throws Exception {
    HealthSnapshot health = ServerlessPgDriver.health(
        "jdbc:serverless-pg://localhost:1/postgres?user=postgres&mode=direct&connectTimeout=1&connectRetryBudget=0", new Properties());
    assertThat(health.status()).isEqualTo(HealthSnapshot.Status.UNHEALTHY);
    // The SQLSTATE, then the same message the application gets: endpoint, mode and what to check.
    assertThat(health.databaseError()).startsWith("08001: ").contains("endpoint localhost:1", "mode direct",
        "Hint: nothing accepts connections on localhost:1");
    assertThat(health.toJson()).contains("\"status\": \"unhealthy\"");
  }
}
