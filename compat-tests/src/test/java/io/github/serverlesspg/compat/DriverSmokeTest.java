package io.github.serverlesspg.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.FaultProxy;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver on this module's OpenTelemetry API and pgjdbc against real PostgreSQL and PgBouncer: connects, prepared
 * queries past pgjdbc's prepare threshold, a failed transaction rolled back, with no SDK, with a global SDK and with
 * an injected one.
 */
@RealDatabase
class DriverSmokeTest {
  private static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  private static final int EXECUTIONS = 8;

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
      .build();

  @AfterEach
  void cleanUp() {
    ServerlessPgDriver.setOpenTelemetry(null);
    GlobalOpenTelemetry.resetForTest();
    sdk.close();
  }

  private static String url(String host, int port, String database, String application, String mode) {
    return "jdbc:serverless-pg://" + host + ":" + port + "/" + database + "?ApplicationName=" + application
        + "&mode=" + mode;
  }

  @Test
  void withoutAnSdkTheDriverWorksAndLeavesTheGlobalForTheApplicationToInstall(
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws Exception {
    String url = url(pooler.host(), pooler.port(), pooler.database(), "compat-no-sdk", "transaction");
    try (Connection connection = DriverManager.getConnection(url, pooler.credentials())) {
      assertThat(sumOfPreparedQueries(connection)).isEqualTo(EXECUTIONS * (EXECUTIONS + 1) / 2);
      assertRollbackOfAFailedTransaction(connection);
    }

    // The application installs its SDK after the driver's first use: that must still be allowed (an API call that
    // pinned a no-op global would make this throw), and the driver must pick it up.
    GlobalOpenTelemetry.set(sdk);
    try (Connection connection = DriverManager.getConnection(url, pooler.credentials())) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      // the driver re-checks an absent global at most once a second: run statements until one is traced
      while (clientSpans().isEmpty() && System.nanoTime() < deadline) {
        sumOfPreparedQueries(connection);
      }
    }
    assertThat(clientSpans()).as("statements traced by the global SDK installed after the first connect")
        .isNotEmpty();
  }

  @Test
  void anInjectedSdkGetsConnectAndQuerySpansAndMetrics(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws Exception {
    ServerlessPgDriver.setOpenTelemetry(sdk);
    String url = url(pooler.host(), pooler.port(), pooler.database(), "compat-injected", "transaction");
    try (Connection connection = DriverManager.getConnection(url, pooler.credentials())) {
      assertThat(sumOfPreparedQueries(connection)).isEqualTo(EXECUTIONS * (EXECUTIONS + 1) / 2);
      assertRollbackOfAFailedTransaction(connection);
    }
    assertThat(spanNames()).contains("serverless-pg connect", "serverless-pg connect tcp",
        "serverless-pg connect auth");
    assertThat(clientSpans()).hasSizeGreaterThanOrEqualTo(EXECUTIONS)
        .allSatisfy(span -> assertThat(span.getAttributes().get(DB_SYSTEM_NAME)).isEqualTo("postgresql"));
    assertThat(metrics.collectAllMetrics().stream().map(MetricData::getName))
        .contains("db.client.operation.duration", "db.client.connection.create_time");
  }

  @Test
  void directToPostgresKeepsServerSidePreparedStatements(PostgresServer postgres) throws Exception {
    ServerlessPgDriver.setOpenTelemetry(sdk);
    String url = url(postgres.host(), postgres.port(), postgres.database(), "compat-direct", "direct");
    try (Connection connection = DriverManager.getConnection(url, postgres.credentials())) {
      assertThat(sumOfPreparedQueries(connection)).isEqualTo(EXECUTIONS * (EXECUTIONS + 1) / 2);
      try (Statement statement = connection.createStatement();
          ResultSet prepared = statement.executeQuery("select count(*) from pg_prepared_statements")) {
        prepared.next();
        assertThat(prepared.getInt(1)).as("named server-side statements after %s executions", EXECUTIONS)
            .isPositive();
      }
      assertRollbackOfAFailedTransaction(connection);
    }
    assertThat(clientSpans()).isNotEmpty();
  }

  /**
   * Transaction mode emulates {@code currentSchema} by sending it with each statement's transaction: what the
   * statements see and return must not depend on the pgjdbc version the application pins.
   */
  @Test
  void emulatedSettingsReachEveryStatement(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws Exception {
    String url = url(pooler.host(), pooler.port(), pooler.database(), "compat-settings", "transaction");
    try (Connection setup = DriverManager.getConnection(url, pooler.credentials());
        Statement statement = setup.createStatement()) {
      statement.execute("create schema if not exists compat_settings");
      statement.execute("create table if not exists compat_settings.item (id int)");
      statement.execute("truncate compat_settings.item");
    }
    try (Connection connection = DriverManager.getConnection(url + "&currentSchema=compat_settings",
        pooler.credentials()); Statement statement = connection.createStatement()) {
      try (ResultSet schema = statement.executeQuery("select current_schema()")) {
        assertThat(schema.next()).isTrue();
        assertThat(schema.getString(1)).isEqualTo("compat_settings");
      }
      assertThat(statement.executeUpdate("insert into item values (1), (2)")).isEqualTo(2);
      assertThat(statement.execute("select count(*) from item")).isTrue();
      try (ResultSet count = statement.getResultSet()) {
        count.next();
        assertThat(count.getInt(1)).isEqualTo(2);
      }
      assertThat(statement.getMoreResults()).isFalse();
      assertThat(statement.getUpdateCount()).isEqualTo(-1);
      assertThatThrownBy(() -> statement.executeQuery("update item set id = id")).isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("02000");
      try (PreparedStatement prepared = connection.prepareStatement("select count(*) from item where id = ?")) {
        // described before it runs: pgjdbc's server-side name for the describe is released (read reflectively)
        assertThat(prepared.getMetaData().getColumnCount()).isEqualTo(1);
        prepared.setInt(1, 2);
        try (ResultSet count = prepared.executeQuery()) {
          count.next();
          assertThat(count.getInt(1)).isEqualTo(1);
        }
      }
    }
  }

  /**
   * The driver's login socket (how an interrupt aborts a connect) goes through pgjdbc's socket factory lookup, which
   * must find it on every pgjdbc version: an interrupted connect to an endpoint that never answers fails with 08001
   * at once, not after connectTimeout, and the thread keeps its interrupt status.
   */
  @Test
  void anInterruptAbortsAConnectOnEveryVersion(PostgresServer postgres) throws Exception {
    try (FaultProxy proxy = FaultProxy.unresponsive()) {
      String url = "jdbc:serverless-pg://" + proxy.address() + "/" + postgres.database()
          + "?mode=direct&sslmode=disable&connectTimeout=60&ApplicationName=compat-interrupt";
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicBoolean interruptKept = new AtomicBoolean();
      Thread connecting = new Thread(() -> {
        try (Connection unexpected = DriverManager.getConnection(url, postgres.credentials())) {
          failure.set(new AssertionError("connected to an endpoint that never answers"));
        } catch (Throwable e) {
          failure.set(e);
        }
        interruptKept.set(Thread.currentThread().isInterrupted());
      }, "compat-interrupt");
      connecting.start();
      assertThat(proxy.awaitOpenClients(1, Duration.ofSeconds(20))).as("the connect reached the endpoint").isTrue();
      connecting.interrupt();
      connecting.join(Duration.ofSeconds(30).toMillis());
      assertThat(connecting.isAlive()).as("the interrupt ended the connect, long before connectTimeout=60")
          .isFalse();
      assertThat(failure.get()).isInstanceOf(SQLException.class);
      assertThat(((SQLException) failure.get()).getSQLState()).isEqualTo("08001");
      assertThat(interruptKept).as("the thread's interrupt status is kept").isTrue();
    }
  }

  private static int sumOfPreparedQueries(Connection connection) throws SQLException {
    int sum = 0;
    try (PreparedStatement statement = connection.prepareStatement("select ?::int + 0")) {
      for (int i = 1; i <= EXECUTIONS; i++) {
        statement.setInt(1, i);
        try (ResultSet result = statement.executeQuery()) {
          result.next();
          sum += result.getInt(1);
        }
      }
    }
    return sum;
  }

  /** The driver reads pgjdbc's transaction state to tell where a transaction ends. */
  private static void assertRollbackOfAFailedTransaction(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("create temporary table compat_rollback (id int) on commit drop");
      assertThatThrownBy(() -> statement.execute("select 1 / 0")).isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22012");
      connection.rollback();
      try (ResultSet result = statement.executeQuery("select 41 + 1")) {
        result.next();
        assertThat(result.getInt(1)).isEqualTo(42);
      }
      connection.commit();
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private List<SpanData> clientSpans() {
    return spans.getFinishedSpanItems().stream().filter(span -> span.getKind() == SpanKind.CLIENT)
        .collect(Collectors.toList());
  }

  private List<String> spanNames() {
    return spans.getFinishedSpanItems().stream().map(SpanData::getName).collect(Collectors.toList());
  }
}
