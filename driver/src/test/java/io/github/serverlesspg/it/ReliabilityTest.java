package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPg;
import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.TransactionOptions;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.telemetry.TelemetryFixture;
import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reliability suite: a ledger of transfers run by {@link ServerlessPg#inTransaction} through a real
 * transaction-mode PgBouncer while the servers are disrupted, then audited straight on PostgreSQL. Runs on an
 * environment of its own, so that restarts and {@code KILL}s never disturb other tests.
 */
class ReliabilityTest {
  private static final int ACCOUNTS = 50;
  private static final long INITIAL_BALANCE = 1_000;
  /** The ledger's business rule (no negative balance): an answer, not an error of the infrastructure. */
  private static final String INSUFFICIENT_FUNDS = "23514";

  private static DatabaseEnvironment environment;
  private static PgBouncerServer pooler;
  private static PostgresServer postgres;
  private static final AtomicLong TRANSFER_IDS = new AtomicLong();

  @BeforeAll
  static void start() {
    environment = DatabaseEnvironment.builder().build();
    pooler = environment.pooler(PoolMode.TRANSACTION);
    postgres = environment.postgres();
  }

  @AfterAll
  static void stop() {
    PhysicalConnectionCache.global().closeIdle("test finished");
    if (environment != null) {
      environment.close();
    }
  }

  @BeforeEach
  void freshLedger() throws SQLException {
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("drop table if exists ledger_transfers, ledger_accounts");
      statement.execute("create table ledger_accounts(id int primary key, balance bigint not null "
          + "check (balance >= 0))");
      statement.execute("create table ledger_transfers(id bigint primary key, from_id int not null, "
          + "to_id int not null, amount bigint not null)");
      statement.execute("insert into ledger_accounts select g, " + INITIAL_BALANCE + " from generate_series(1, "
          + ACCOUNTS + ") g");
    }
    fastServerLoginRetry();
  }

  /**
   * 16 threads of transfers for 20 s while, every 1-2 s, backends are terminated, PgBouncer is KILLed and RESUMEd,
   * told to RECONNECT, or restarted. Afterwards: the balance sum is unchanged, every account's balance matches the
   * transfers table, every transfer whose commit returned is present, every transfer reported failed is absent, and
   * those reported 08007 (outcome unknown) are counted separately.
   */
  @Test
  void ledgerSurvivesChaos() throws Exception {
    ServerlessPgDataSource dataSource = dataSource("ledger-chaos", "connectRetryBudget=10000");
    Set<Long> committed = ConcurrentHashMap.newKeySet();
    Set<Long> failed = ConcurrentHashMap.newKeySet();
    Set<Long> unknown = ConcurrentHashMap.newKeySet();
    Map<String, AtomicInteger> failureStates = new ConcurrentHashMap<>();
    AtomicInteger attempts = new AtomicInteger();
    List<String> chaos = new ArrayList<>();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    ScheduledExecutorService chaosMonkey = Executors.newSingleThreadScheduledExecutor();
    scheduleChaos(chaosMonkey, chaos, deadline);
    ExecutorService workers = Executors.newFixedThreadPool(16);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      running.add(workers.submit(() -> {
        while (System.nanoTime() < deadline) {
          long id = TRANSFER_IDS.incrementAndGet();
          try {
            transfer(dataSource, id, attempts);
            committed.add(id);
          } catch (SQLException e) {
            if ("08007".equals(e.getSQLState())) {
              unknown.add(id);
            } else {
              failed.add(id);
              failureStates.computeIfAbsent(String.valueOf(e.getSQLState()), k -> new AtomicInteger())
                  .incrementAndGet();
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> worker : running) {
      worker.get(90, TimeUnit.SECONDS);
    }
    workers.shutdown();
    chaosMonkey.shutdown();
    assertThat(chaosMonkey.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    ensureRunning();

    Set<Long> present = transfersPresent();
    System.out.printf("ledger under chaos: %d committed, %d failed %s, %d unknown (08007), %d attempts, chaos %s%n",
        committed.size(), failed.size(), new TreeMap<>(failureStates), unknown.size(), attempts.get(), chaos);
    auditBalances();
    assertThat(committed).as("every transfer whose commit returned is present").allMatch(present::contains);
    assertThat(failed).as("no transfer reported failed is present").noneMatch(present::contains);
    Set<Long> explained = new HashSet<>(committed);
    explained.addAll(unknown);
    assertThat(present).as("every present transfer returned or was reported unknown").allMatch(explained::contains);
    // Not vacuous: the chaos happened, work got done, and failures were retried.
    assertThat(chaos).contains("terminate", "kill", "reconnect", "restart");
    assertThat(committed).hasSizeGreaterThan(200);
    assertThat(attempts.get()).isGreaterThan(committed.size() + failed.size() + unknown.size());
  }

  /**
   * PgBouncer is down for 5 s: transfers fail only during the outage (their connects give up after a 1 s budget),
   * and every worker completes a transfer within 1 s after PgBouncer accepts connections again. Transfers refused by
   * the ledger's own rule (insufficient funds) are answers, not errors, and are not counted.
   */
  @Test
  void poolerOutageCausesErrorsOnlyDuringItAndRecoversWithinASecond() throws Exception {
    ServerlessPgDataSource dataSource = dataSource("ledger-outage", "connectRetryBudget=1000");
    int threads = 4;
    long start = System.nanoTime();
    AtomicLong outageStart = new AtomicLong(Long.MAX_VALUE);
    AtomicLong outageEnd = new AtomicLong(Long.MAX_VALUE);
    ScheduledExecutorService operator = Executors.newSingleThreadScheduledExecutor();
    operator.schedule(() -> {
      outageStart.set(System.nanoTime());
      pooler.stop();
    }, 2, TimeUnit.SECONDS);
    operator.schedule(() -> {
      pooler.start();
      outageEnd.set(System.nanoTime());
    }, 7, TimeUnit.SECONDS);
    long deadline = start + TimeUnit.SECONDS.toNanos(10);

    ConcurrentLinkedQueue<long[]> failures = new ConcurrentLinkedQueue<>(); // {thread, when}
    long[][] successes = new long[threads][];
    ExecutorService workers = Executors.newFixedThreadPool(threads);
    List<Future<List<Long>>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      running.add(workers.submit(() -> {
        List<Long> done = new ArrayList<>();
        while (System.nanoTime() < deadline) {
          try {
            transfer(dataSource, TRANSFER_IDS.incrementAndGet(), new AtomicInteger());
            done.add(System.nanoTime());
          } catch (SQLException e) {
            if (!INSUFFICIENT_FUNDS.equals(e.getSQLState())) {
              failures.add(new long[] {thread, System.nanoTime()});
            }
          }
        }
        return done;
      }));
    }
    for (int t = 0; t < threads; t++) {
      successes[t] = running.get(t).get(60, TimeUnit.SECONDS).stream().mapToLong(Long::longValue).toArray();
    }
    workers.shutdown();
    operator.shutdown();
    assertThat(operator.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    long down = outageStart.get();
    long up = outageEnd.get();
    long second = TimeUnit.SECONDS.toNanos(1);
    System.out.printf("pooler outage: %d failures between %s ms and %s ms after it began; outage lasted %d ms%n",
        failures.size(), failures.stream().mapToLong(f -> f[1] - down).min().orElse(-1) / 1_000_000,
        failures.stream().mapToLong(f -> f[1] - down).max().orElse(-1) / 1_000_000, (up - down) / 1_000_000);
    assertThat(failures).as("errors happen during the outage").isNotEmpty()
        .allSatisfy(f -> assertThat(f[1]).as("failure time").isBetween(down, up + second));
    for (int t = 0; t < threads; t++) {
      long firstAfter = java.util.Arrays.stream(successes[t]).filter(when -> when > up).min()
          .orElseThrow(() -> new AssertionError("a worker never recovered"));
      System.out.printf("worker %d: first transfer %d ms after the pooler was back%n", t, (firstAfter - up) / 1_000_000);
      assertThat((firstAfter - up) / 1_000_000).as("ms from recovery to the next completed transfer")
          .isLessThan(1_000);
      assertThat(java.util.Arrays.stream(successes[t]).anyMatch(when -> when < down))
          .as("worker %d completed transfers before the outage", t).isTrue();
    }
    auditBalances();
  }

  /**
   * A PostgreSQL out of connection slots answers 53300; the connect is retried until a slot frees, visibly on the
   * connect span and in {@code serverless_pg.connect.retries}. On this environment of its own, because a full server
   * also fails PgBouncer's server logins, which PgBouncer then holds back for its {@code server_login_retry}.
   */
  @Test
  void tooManyConnectionsIsRetriedUntilASlotFrees() throws Exception {
    TelemetryFixture telemetry = new TelemetryFixture().install();
    String url = Targets.direct(postgres, "retry-53300", "mode=direct&connectRetryBudget=10000");
    List<Connection> fillers = new ArrayList<>();
    try {
      fillAllSlots(fillers);
      CompletableFuture<Boolean> connected = CompletableFuture.supplyAsync(() -> {
        try (Connection connection = Targets.connect(url, postgres.credentials())) {
          return connection.isValid(2);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      // Free a slot only once the driver was refused at least once and is retrying.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (retriesCounted(telemetry, "53300") == 0 && System.nanoTime() < deadline && !connected.isDone()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polls the metric, the condition waited for
      }
      assertThat(retriesCounted(telemetry, "53300")).as("refused with 53300 and retrying").isPositive();
      fillers.remove(0).close();
      assertThat(connected.get(10, TimeUnit.SECONDS)).isTrue();
      SpanData connect = telemetry.named("serverless-pg connect").get(0);
      assertThat(connect.getAttributes().get(AttributeKey.longKey("serverless_pg.connect.attempts")))
          .isGreaterThan(1L);
    } finally {
      for (Connection filler : fillers) {
        filler.close();
      }
      telemetry.uninstall();
    }
  }

  private static long retriesCounted(TelemetryFixture telemetry, String errorType) {
    long total = 0;
    for (MetricData metric : telemetry.metrics.collectAllMetrics()) {
      if (metric.getName().equals("serverless_pg.connect.retries")) {
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          if (errorType.equals(point.getAttributes().get(AttributeKey.stringKey("error.type")))) {
            total += point.getValue();
          }
        }
      }
    }
    return total;
  }

  private static void fillAllSlots(List<Connection> fillers) throws SQLException {
    for (int i = 0; i < 100; i++) {
      try {
        fillers.add(java.sql.DriverManager.getConnection(postgres.jdbcUrl() + "?ApplicationName=slot-filler",
            postgres.credentials()));
      } catch (SQLException e) {
        if ("53300".equals(e.getSQLState())) {
          return;
        }
        throw e;
      }
    }
    throw new IllegalStateException("PostgreSQL accepted 100 connections; the test expects max_connections=30");
  }

  /** One transfer as one unit: a random amount between two random accounts, recorded under its id. */
  private static void transfer(ServerlessPgDataSource dataSource, long id, AtomicInteger attempts)
      throws SQLException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int from = random.nextInt(1, ACCOUNTS + 1);
    int to = random.nextInt(1, ACCOUNTS);
    if (to >= from) {
      to++;
    }
    long amount = random.nextLong(1, 100);
    int toAccount = to;
    ServerlessPg.inTransaction(dataSource,
        TransactionOptions.defaults().maxAttempts(6).backoff(Duration.ofMillis(10), Duration.ofMillis(200)),
        connection -> {
          attempts.incrementAndGet();
          try (PreparedStatement debit = connection.prepareStatement(
                  "update ledger_accounts set balance = balance - ? where id = ?");
              PreparedStatement credit = connection.prepareStatement(
                  "update ledger_accounts set balance = balance + ? where id = ?");
              PreparedStatement record = connection.prepareStatement(
                  "insert into ledger_transfers(id, from_id, to_id, amount) values (?, ?, ?, ?)")) {
            debit.setLong(1, amount);
            debit.setInt(2, from);
            debit.executeUpdate();
            credit.setLong(1, amount);
            credit.setInt(2, toAccount);
            credit.executeUpdate();
            record.setLong(1, id);
            record.setInt(2, from);
            record.setInt(3, toAccount);
            record.setLong(4, amount);
            record.executeUpdate();
          }
          return null;
        });
  }

  /** Chaos every 1-2 s until the deadline, cycling through the four kinds so each happens. */
  private static void scheduleChaos(ScheduledExecutorService chaosMonkey, List<String> log, long deadline) {
    String[] kinds = {"terminate", "kill", "reconnect", "restart"};
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (System.nanoTime() >= deadline - TimeUnit.MILLISECONDS.toNanos(500)) {
        return;
      }
      String kind = kinds[log.size() % kinds.length];
      try {
        switch (kind) {
          case "terminate" -> postgres.terminateBackends(null);
          case "kill" -> {
            pooler.kill(postgres.database());
            fastServerLoginRetry();
          }
          case "reconnect" -> pooler.reconnect();
          default -> {
            pooler.restart();
            fastServerLoginRetry();
          }
        }
        log.add(kind);
      } catch (SQLException | RuntimeException e) {
        log.add(kind + " failed: " + e);
      }
      chaosMonkey.schedule(next[0], ThreadLocalRandom.current().nextLong(1000, 2001), TimeUnit.MILLISECONDS);
    };
    chaosMonkey.schedule(next[0], ThreadLocalRandom.current().nextLong(1000, 2001), TimeUnit.MILLISECONDS);
  }

  /**
   * PgBouncer holds new server logins for {@code server_login_retry} (15 s) after one failed; with the backends
   * terminated under it that happens here on purpose, and 15 s would stall most of a 20 s run. Production poolers
   * keep their own setting; the driver's connect budget and the helper's retries do not depend on it.
   */
  private static void fastServerLoginRetry() {
    pooler.admin().command("SET server_login_retry = 1");
  }

  private static void ensureRunning() {
    try (Connection probe = java.sql.DriverManager.getConnection(pooler.jdbcUrl(), pooler.credentials())) {
      probe.isValid(1);
    } catch (SQLException e) {
      pooler.start();
    }
  }

  private static ServerlessPgDataSource dataSource(String application, String parameters) {
    ServerlessPgDataSource dataSource = new ServerlessPgDataSource(Targets.through(pooler, application,
        "mode=transaction&maxConnections=16&socketTimeout=10&" + parameters));
    dataSource.setProperties(pooler.credentials());
    return dataSource;
  }

  private static Set<Long> transfersPresent() throws SQLException {
    Set<Long> ids = new HashSet<>();
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement();
        ResultSet rows = statement.executeQuery("select id from ledger_transfers")) {
      while (rows.next()) {
        ids.add(rows.getLong(1));
      }
    }
    return ids;
  }

  /** The sum is unchanged and every balance is its initial value plus what the recorded transfers moved. */
  private static void auditBalances() throws SQLException {
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      try (ResultSet sum = statement.executeQuery("select sum(balance), count(*) from ledger_accounts")) {
        sum.next();
        assertThat(sum.getLong(1)).as("balance sum").isEqualTo(ACCOUNTS * INITIAL_BALANCE);
        assertThat(sum.getInt(2)).isEqualTo(ACCOUNTS);
      }
      try (ResultSet mismatches = statement.executeQuery("select a.id, a.balance, " + INITIAL_BALANCE
          + " - coalesce((select sum(amount) from ledger_transfers where from_id = a.id), 0)"
          + " + coalesce((select sum(amount) from ledger_transfers where to_id = a.id), 0) as expected"
          + " from ledger_accounts a")) {
        while (mismatches.next()) {
          assertThat(mismatches.getLong(2)).as("balance of account %d", mismatches.getInt(1))
              .isEqualTo(mismatches.getLong(3));
        }
      }
    }
  }
}
