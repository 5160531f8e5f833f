package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.telemetry.TelemetryFixture;
import io.github.serverlesspg.testsupport.FaultProxy;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.RealDatabase;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connect retries against the real servers: a stopped pooler (connection refused) is waited out within
 * {@code connectRetryBudget}, permanent failures are not retried, and every attempt shows on the connect span and in
 * the metrics. (A full PostgreSQL, 53300, is in {@link ReliabilityTest}: filling every slot would make the shared
 * PgBouncer's server logins fail and hold them for its {@code server_login_retry}.)
 */
@RealDatabase
class ConnectRetryTest {
  /** The shared server's max_connections is small: leave no idle physical connection of this test behind. */
  @AfterEach
  void closeIdleConnections() {
    PhysicalConnectionCache.global().closeIdle("test finished");
  }

  private static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("serverless_pg.connect.attempts");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private TelemetryFixture telemetry;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void installSdk() {
    telemetry = new TelemetryFixture().install();
  }

  @AfterEach
  void uninstallSdk() {
    scheduler.shutdownNow();
    telemetry.uninstall();
  }

  @Test
  void refusedConnectsAreRetriedUntilThePoolerIsBack(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws Exception {
    String url = Targets.through(pooler, "retry-refused", "mode=transaction&connectRetryBudget=10000");
    pooler.stop();
    try {
      long stopped = System.nanoTime();
      scheduler.schedule(pooler::start, 800, TimeUnit.MILLISECONDS);
      try (Connection connection = Targets.connect(url, pooler.credentials())) {
        assertThat(connection.isValid(2)).isTrue();
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)).isGreaterThanOrEqualTo(800);
    } finally {
      ensureRunning(pooler);
    }
    SpanData connect = telemetry.named("serverless-pg connect").get(0);
    assertThat(connect.getAttributes().get(ATTEMPTS)).isGreaterThan(1L);
    List<EventData> retries = connect.getEvents().stream()
        .filter(event -> event.getName().equals("serverless_pg.connect.retry")).toList();
    assertThat(retries).hasSize((int) (connect.getAttributes().get(ATTEMPTS) - 1))
        .allSatisfy(event -> assertThat(event.getAttributes().get(ERROR_TYPE)).isEqualTo("08001"));
    assertThat(retriesCounted("08001")).isEqualTo(retries.size());
  }

  @Test
  void aWrongPasswordIsNotRetried(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    Properties wrong = new Properties();
    wrong.setProperty("user", pooler.user());
    wrong.setProperty("password", "not-the-password");
    SQLException failure = catchThrowableOfType(SQLException.class,
        () -> Targets.connect(Targets.through(pooler, "retry-auth", "connectRetryBudget=10000"), wrong));
    assertThat(failure.getSQLState()).isIn("28P01", "08P01", "28000");
    SpanData connect = telemetry.named("serverless-pg connect").get(0);
    assertThat(connect.getAttributes().get(ATTEMPTS)).isEqualTo(1L);
    assertThat(retriesCounted(failure.getSQLState())).isZero();
  }

  @Test
  void aConnectFailsOnceTheBudgetIsSpent(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    String url = Targets.through(pooler, "retry-budget", "connectRetryBudget=700");
    pooler.stop();
    long start = System.nanoTime();
    SQLException failure;
    try {
      failure = catchThrowableOfType(SQLException.class, () -> Targets.connect(url, pooler.credentials()));
    } finally {
      pooler.start();
    }
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat((Throwable) failure).isInstanceOf(SQLTransientConnectionException.class);
    assertThat(failure.getSQLState()).isEqualTo("08001");
    assertThat(failure.getMessage()).contains("attempts", "connectRetryBudget").doesNotContain(pooler.password());
    // No attempt starts after the budget; a refused attempt takes about a millisecond.
    assertThat(elapsed).isBetween(100L, 700L + 500L);
  }

  /**
   * An endpoint that accepts TCP connections and never answers (a black hole, as a hung pooler or a half-dead load
   * balancer) fails within the bound: one attempt, which the driver's connect bound limits to {@code connectTimeout};
   * a timeout is not retried, however large the retry budget. The attempt's socket is closed.
   */
  @Test
  void aBlackHoleEndpointFailsWithinTheBound() {
    try (FaultProxy hole = FaultProxy.unresponsive()) {
      String url = "jdbc:serverless-pg://" + hole.address() + "/app?mode=direct&ApplicationName=black-hole"
          + "&sslmode=disable&connectTimeout=1&connectRetryBudget=10000";
      Properties credentials = new Properties();
      credentials.setProperty("user", "app");
      credentials.setProperty("password", "Bl4ck-H0le-Secret");
      long start = System.nanoTime();
      SQLException failure = catchThrowableOfType(SQLException.class, () -> Targets.connect(url, credentials));
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(failure.getSQLState()).isEqualTo("08001");
      assertThat(failure.getMessage()).doesNotContain("Bl4ck-H0le-Secret");
      // connectTimeout=1 s, with 1 s of slack for a loaded machine; the 10 s budget plays no part
      assertThat(elapsed).isBetween(900L, 1_000L + 1_000L);
      assertThat(hole.accepted()).isEqualTo(1);
      assertThat(hole.awaitOpenClients(0, Duration.ofSeconds(5))).as("the attempt's socket closed").isTrue();
    }
  }

  /** warmUp() opens and validates the connection, so the first getConnection is warm. */
  @Test
  void warmUpMakesTheFirstGetConnectionWarm(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws Exception {
    ServerlessPgDataSource dataSource = new ServerlessPgDataSource(Targets.through(pooler, "warm-up",
        "mode=transaction&maxConnections=1"));
    dataSource.setProperties(pooler.credentials());
    dataSource.warmUp();
    assertThat(Targets.clientsOf(pooler, "warm-up")).isEqualTo(1);
    SpanData warmUp = telemetry.named("serverless-pg connect").get(0);
    assertThat(warmUp.getAttributes().get(AttributeKey.stringKey("serverless_pg.connection.origin")))
        .isEqualTo("cold");
    try (Connection connection = dataSource.getConnection()) {
      assertThat(connection.isValid(1)).isTrue();
    }
    SpanData first = telemetry.named("serverless-pg connect").get(1);
    assertThat(first.getAttributes().get(AttributeKey.stringKey("serverless_pg.connection.origin")))
        .isIn("warm", "validated");
    assertThat(Targets.clientsOf(pooler, "warm-up")).isEqualTo(1);
  }

  @Test
  void prewarmInTheUrlWarmsUpInTheConstructor(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws Exception {
    String url = Targets.through(pooler, "prewarm", "mode=transaction&prewarm=true&user=" + pooler.user()
        + "&password=" + pooler.password());
    new ServerlessPgDataSource(url);
    assertThat(Targets.clientsOf(pooler, "prewarm")).isEqualTo(1);
  }

  @Test
  void aFailedPrewarmIsReportedByTheFirstGetConnection(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    String url = Targets.through(pooler, "prewarm-failed", "mode=transaction&prewarm=true&user=" + pooler.user()
        + "&password=wrong");
    ServerlessPgDataSource dataSource = new ServerlessPgDataSource(url);
    SQLException failure = catchThrowableOfType(SQLException.class, dataSource::getConnection);
    assertThat(failure.getSQLState()).isIn("28P01", "08P01", "28000");
  }

  long retriesCounted(String errorType) {
    long total = 0;
    for (MetricData metric : telemetry.metrics.collectAllMetrics()) {
      if (metric.getName().equals("serverless_pg.connect.retries")) {
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          if (errorType.equals(point.getAttributes().get(ERROR_TYPE))) {
            total += point.getValue();
          }
        }
      }
    }
    return total;
  }

  private static void ensureRunning(PgBouncerServer pooler) {
    try (Connection probe = DriverManager.getConnection(pooler.jdbcUrl(), pooler.credentials())) {
      probe.isValid(1);
    } catch (SQLException e) {
      pooler.start();
    }
  }
}
