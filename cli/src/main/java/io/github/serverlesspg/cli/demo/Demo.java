package io.github.serverlesspg.cli.demo;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.ServerBinaries;
import io.github.serverlesspg.testsupport.TraceTree;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The problem and the fix side by side, against a throwaway PostgreSQL and a transaction-mode PgBouncer started
 * from the local binaries: plain pgjdbc through the pooler fails with 42P05/26000 under concurrency; the same
 * workload through this driver does not; one instance serves 200 invocations over one physical connection; and
 * the trace of the cold invocation shows where its time went. Stops the servers when done, and on Ctrl-C through
 * the fixture's shutdown hook.
 */
public final class Demo {
  static final int INSTANCES = 20;
  static final int INVOCATIONS_PER_INSTANCE = 10;
  static final int SEQUENTIAL_INVOCATIONS = INSTANCES * INVOCATIONS_PER_INSTANCE;
  private static final String QUERY = "select ?::int * 2";
  private static final AttributeKey<String> ORIGIN = AttributeKey.stringKey("serverless_pg.connection.origin");
  private static final String CONNECT_SPAN = "serverless-pg connect";
  /** The attributes that tell a connect's story in the printed traces. */
  private static final Set<String> TRACE_ATTRIBUTES =
      Set.of("connection.origin", "mode", "db.response.status_code", "error.type");

  private final PrintStream out;
  private final PrintStream err;

  public Demo(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int run() {
    out.println("serverless-pg " + ServerlessPgDriver.version() + " demo: plain pgjdbc vs serverless-pg behind a"
        + " transaction-mode pooler");
    out.println();
    ServerBinaries binaries = ServerBinaries.detect();
    if (!binaries.missing().isEmpty()) {
      err.println("The demo runs a throwaway PostgreSQL and PgBouncer from local binaries, and these are missing: "
          + String.join(", ", binaries.missing()) + ".");
      err.println("Install them:  sudo apt-get install -y postgresql pgbouncer   (Debian, Ubuntu)");
      err.println("               brew install postgresql pgbouncer               (macOS)");
      err.println("or set PG_BIN to the directory holding initdb and pg_ctl, and put pgbouncer on the PATH.");
      return 2;
    }
    out.print("Starting a throwaway PostgreSQL and PgBouncer (pool_mode=transaction) from "
        + binaries.postgresBin().orElseThrow() + " ... ");
    out.flush();
    long start = System.nanoTime();
    DatabaseEnvironment servers;
    try {
      servers = DatabaseEnvironment.builder().build();
    } catch (RuntimeException e) {
      out.println("failed");
      err.println("Could not start the servers: " + causes(e));
      return 2;
    }
    CollectingSpanExporter spans = new CollectingSpanExporter();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    try {
      PgBouncerServer pooler = servers.transactionPooler();
      out.printf(Locale.ROOT, "ready in %.1f s%n  PostgreSQL on 127.0.0.1:%d, PgBouncer on 127.0.0.1:%d"
          + " (default_pool_size=%d)%n%n", (System.nanoTime() - start) / 1e9, servers.postgres().port(),
          pooler.port(), DatabaseEnvironment.DEFAULT_POOL_SIZE);
      ServerlessPgDriver.setOpenTelemetry(sdk);
      plainPgjdbc(pooler);
      spans.drain();
      serverlessPgConcurrent(pooler, spans);
      serverlessPgOneInstance(pooler, spans, sdk.getTracer("serverless-pg-demo"));
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("The demo was interrupted");
      return 1;
    } catch (ExecutionException | SQLException e) {
      err.println("The demo failed: " + causes(e));
      return 1;
    } finally {
      ServerlessPgDriver.setOpenTelemetry(null);
      sdk.close();
      out.print("\nStopping PostgreSQL and PgBouncer ... ");
      out.flush();
      servers.close();
      out.println("done");
    }
  }

  /** Act 1: each instance keeps one plain pgjdbc connection, as serverless code caching a connection does. */
  private void plainPgjdbc(PgBouncerServer pooler) throws InterruptedException, ExecutionException {
    String url = pooler.jdbcUrl() + "?ApplicationName=demo-plain-pgjdbc";
    out.println("1. Plain pgjdbc through the transaction pooler");
    out.println("   " + url);
    out.println("   " + INSTANCES + " instances at once, " + INVOCATIONS_PER_INSTANCE + " invocations each, every"
        + " instance keeping its connection");
    Outcome outcome = concurrently(instance -> {
      try (Connection connection = DriverManager.getConnection(url, pooler.credentials())) {
        return invocations(() -> connection, connection, instance);
      }
    });
    out.println("   -> " + outcome.summary());
    outcome.errors.forEach((state, sample) -> out.printf(Locale.ROOT, "        %s x %-4d %s%n", state,
        outcome.errorCounts.get(state), sample));
    out.println();
  }

  /** Act 2: the same workload, only the URL's prefix changes; every instance has its own process-wide pool. */
  private void serverlessPgConcurrent(PgBouncerServer pooler, CollectingSpanExporter spans)
      throws InterruptedException, ExecutionException, SQLException {
    String base = "jdbc:serverless-pg://" + pooler.host() + ":" + pooler.port() + "/" + pooler.database()
        + "?ApplicationName=demo-instance-";
    out.println("2. serverless-pg through the same pooler: only the URL's prefix changes");
    out.println("   " + base + "<n>");
    Outcome outcome = concurrently(instance -> {
      String url = base + instance;
      return invocations(() -> DriverManager.getConnection(url, pooler.credentials()), null, instance);
    });
    long physical = newPhysicalConnections(spans.drain());
    out.println("   " + ServerlessPgDriver.explain(base + 0, pooler.credentials()).lines().findFirst().orElse(""));
    out.println("   -> " + outcome.summary() + "; " + physical + " physical connections (one per instance)");
    outcome.errors.forEach((state, sample) -> out.printf(Locale.ROOT, "        %s x %-4d %s%n", state,
        outcome.errorCounts.get(state), sample));
    out.println();
  }

  /** Act 3: one instance, invocation after invocation: the first connects, the rest reuse. */
  private void serverlessPgOneInstance(PgBouncerServer pooler, CollectingSpanExporter spans, Tracer tracer) {
    String url = "jdbc:serverless-pg://" + pooler.host() + ":" + pooler.port() + "/" + pooler.database()
        + "?ApplicationName=demo-function";
    Properties credentials = pooler.credentials();
    out.println("3. One serverless-pg instance, " + SEQUENTIAL_INVOCATIONS + " invocations, each: getConnection ->"
        + " prepared query -> close");
    double[] millis = new double[SEQUENTIAL_INVOCATIONS];
    Outcome outcome = new Outcome();
    for (int i = 0; i < SEQUENTIAL_INVOCATIONS; i++) {
      Span invocation = tracer.spanBuilder("invocation " + (i + 1) + (i == 0 ? " (cold)" : " (warm)")).startSpan();
      long start = System.nanoTime();
      try (Scope ignored = invocation.makeCurrent();
          Connection connection = DriverManager.getConnection(url, credentials)) {
        query(connection, i);
        outcome.ok++;
      } catch (SQLException e) {
        outcome.failed(e);
      } finally {
        millis[i] = (System.nanoTime() - start) / 1e6;
        invocation.end();
      }
    }
    List<SpanData> finished = spans.drain();
    long physical = newPhysicalConnections(finished);
    double[] warm = Arrays.copyOfRange(millis, 1, millis.length);
    Arrays.sort(warm);
    out.printf(Locale.ROOT, "   -> %s; %d physical connection%s opened for them%n", outcome.summary(), physical,
        physical == 1 ? "" : "s");
    outcome.errors.forEach((state, sample) -> out.printf(Locale.ROOT, "        %s x %-4d %s%n", state,
        outcome.errorCounts.get(state), sample));
    out.printf(Locale.ROOT, "      cold invocation %.2f ms (new connection: TCP + SCRAM login through PgBouncer);"
        + " warm invocations median %.2f ms, p95 %.2f ms%n", millis[0], percentile(warm, 50), percentile(warm, 95));
    out.println();
    out.println("   Trace of the cold invocation and of the next, warm one (OpenTelemetry SDK in this process):");
    out.println(TraceTree.render(finished, root(finished, "invocation 1 (cold)"), "    ", TRACE_ATTRIBUTES));
    out.print(TraceTree.render(finished, root(finished, "invocation 2 (warm)"), "    ", TRACE_ATTRIBUTES));
  }

  private static SpanData root(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no span " + name));
  }

  private static long newPhysicalConnections(List<SpanData> spans) {
    return spans.stream().filter(s -> s.getName().equals(CONNECT_SPAN))
        .map(s -> s.getAttributes().get(ORIGIN))
        .filter(origin -> origin != null && !origin.equals("warm") && !origin.equals("validated"))
        .count();
  }

  private static double percentile(double[] sorted, int percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private interface ConnectionSource {
    Connection get() throws SQLException;
  }

  private interface Instance {
    Outcome run(int instance) throws SQLException;
  }

  /** Runs the invocations of one instance; a connection that is kept ({@code kept}) is not closed per invocation. */
  private static Outcome invocations(ConnectionSource source, Connection kept, int instance) {
    Outcome outcome = new Outcome();
    for (int i = 0; i < INVOCATIONS_PER_INSTANCE; i++) {
      try {
        if (kept != null) {
          query(kept, instance * INVOCATIONS_PER_INSTANCE + i);
        } else {
          try (Connection connection = source.get()) {
            query(connection, instance * INVOCATIONS_PER_INSTANCE + i);
          }
        }
        outcome.ok++;
      } catch (SQLException e) {
        outcome.failed(e);
      }
    }
    return outcome;
  }

  private static void query(Connection connection, int value) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
      statement.setInt(1, value);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        if (result.getInt(1) != value * 2) {
          throw new SQLException("wrong result " + result.getInt(1) + " for " + value, "XX000");
        }
      }
    }
  }

  /** All instances start together (a traffic burst), so their transactions interleave on the pooler. */
  private static Outcome concurrently(Instance instance) throws InterruptedException, ExecutionException {
    ExecutorService threads = Executors.newFixedThreadPool(INSTANCES);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Outcome>> results = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        int number = i;
        results.add(threads.submit(() -> {
          start.await();
          try {
            return instance.run(number);
          } catch (SQLException e) {
            Outcome failed = new Outcome();
            failed.failed(e);
            return failed;
          }
        }));
      }
      start.countDown();
      Outcome total = new Outcome();
      for (Future<Outcome> result : results) {
        total.add(result.get());
      }
      return total;
    } finally {
      threads.shutdownNow();
    }
  }

  private static String causes(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      text.append("\n  caused by: ").append(cause.getMessage());
    }
    return text.toString();
  }

  /** Invocations that worked, and failures by SQLSTATE with one message each. */
  private static final class Outcome {
    int ok;
    final Map<String, Integer> errorCounts = new TreeMap<>();
    final Map<String, String> errors = new TreeMap<>();

    void failed(SQLException e) {
      String state = e.getSQLState() == null ? "(none)" : e.getSQLState();
      errorCounts.merge(state, 1, Integer::sum);
      errors.putIfAbsent(state, e.getMessage().lines().findFirst().orElse(""));
    }

    void add(Outcome other) {
      ok += other.ok;
      other.errorCounts.forEach((state, count) -> errorCounts.merge(state, count, Integer::sum));
      other.errors.forEach(errors::putIfAbsent);
    }

    int failures() {
      return errorCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    String summary() {
      return (ok + failures()) + " invocations: " + ok + " ok, " + failures() + " failed";
    }
  }
}
