package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mode=auto} probes endpoints no rule recognises. Each case runs the application as separate JVM processes
 * ({@link ProbeWorkload}), so that every process starts with fresh driver state and probes for itself, as new
 * serverless instances do; the URL is the README's with only the prefix changed.
 */
@RealDatabase
class PoolerProbeTest {
  private static final int EXECUTIONS = 50;

  @BeforeAll
  static void createSchema(PostgresServer postgres) throws SQLException {
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.credentials());
        Statement statement = connection.createStatement()) {
      statement.execute("create schema if not exists probe_shop");
      statement.execute("create table if not exists probe_shop.probe_items as select generate_series(1, 100) id");
    }
  }

  /**
   * The README's failure: PgBouncer on its own port, URL with only the prefix changed. Before the probe, the first
   * process left {@code S_1} on the pooler's server connection and the next failed with 42P05; now both processes
   * find the pooler, run without named statements and see no error.
   */
  @Test
  void readmeUrlThroughTheTransactionPoolerRunsTwoProcessesWithoutErrors(
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws Exception {
    String url = readmeUrl(pooler.jdbcUrl(), pooler.user(), "");
    List<Result> runs = runProcesses(2, pooler.password(), Map.of(), List.of(), url, String.valueOf(EXECUTIONS));
    for (Result run : runs) {
      assertThat(run.exitCode).as(run.output).isZero();
      assertThat(run.value("ERRORS")).isEqualTo("0");
      assertThat(run.value("SERVER_PREPARE")).isEqualTo("false");
      assertThat(run.explain()).contains("mode: transaction (auto: the probe found a pooler at " + pooler.host()
          + ":" + pooler.port() + " (BackendKeyData process id").contains("treated as a transaction-mode pooler");
    }
  }

  /** {@code currentSchema} through the pooler: PgBouncer rejects it at startup; the driver applies it per transaction. */
  @Test
  void currentSchemaThroughTheTransactionPoolerWorksInTwoProcesses(
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws Exception {
    String url = readmeUrl(pooler.jdbcUrl(), pooler.user(), "&currentSchema=probe_shop");
    List<Result> runs = runProcesses(2, pooler.password(), Map.of(), List.of(), url, String.valueOf(EXECUTIONS),
        "probe_items");
    for (Result run : runs) {
      assertThat(run.exitCode).as(run.output).isZero();
      assertThat(run.value("ERRORS")).isEqualTo("0");
      assertThat(run.explain()).contains("mode: transaction (auto: the probe found a pooler")
          .contains("schema: probe_shop (emulated)");
    }
  }

  /**
   * The same URL straight at PostgreSQL: the probe finds the server, the connection gets pgjdbc's prepare threshold
   * back, and pgjdbc's named server-side statements are there, as with plain pgjdbc.
   */
  @Test
  void theSameUrlStraightAtPostgresKeepsServerSidePrepares(PostgresServer postgres) throws Exception {
    String url = readmeUrl(postgres.jdbcUrl(), postgres.user(), "");
    Result run = runProcesses(1, postgres.password(), Map.of(), List.of(), url, String.valueOf(EXECUTIONS)).get(0);
    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.value("ERRORS")).isEqualTo("0");
    assertThat(run.value("SERVER_PREPARE")).isEqualTo("true");
    assertThat(Long.parseLong(run.value("NAMED_STATEMENTS"))).as("pg_prepared_statements").isPositive();
    assertThat(run.explain()).contains("mode: direct (auto: the probe found PostgreSQL itself at " + postgres.host()
        + ":" + postgres.port() + " (BackendKeyData process id").contains("server-side prepared statements: allowed");
  }

  /**
   * Straight at PostgreSQL with {@code currentSchema}: the probe connection went without {@code search_path}, so it
   * is replaced by one opened as plain pgjdbc would (startup {@code search_path}, named statements).
   */
  @Test
  void currentSchemaStraightAtPostgresIsAStartupParameterAgain(PostgresServer postgres) throws Exception {
    String url = readmeUrl(postgres.jdbcUrl(), postgres.user(), "&currentSchema=probe_shop");
    Result run = runProcesses(1, postgres.password(), Map.of(), List.of(), url, String.valueOf(EXECUTIONS),
        "probe_items").get(0);
    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.value("ERRORS")).isEqualTo("0");
    assertThat(run.value("SERVER_PREPARE")).isEqualTo("true");
    assertThat(run.explain()).contains("mode: direct (auto: the probe found PostgreSQL itself")
        .doesNotContain("(emulated)");
  }

  /**
   * A PgBouncer Kubernetes service name in a pod: the name resolves (through a hosts file given to the JVM, as the
   * cluster DNS would), {@code KUBERNETES_SERVICE_HOST} is set, and the URL has only its prefix changed.
   */
  @Test
  void kubernetesServiceNameOfAPgBouncerWorksWithOnlyThePrefixChanged(
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler, @TempDir Path directory) throws Exception {
    String service = "pgbouncer.db.svc.cluster.local";
    Path hosts = Files.writeString(directory.resolve("hosts"), pooler.host() + " " + service + "\n");
    String url = "jdbc:serverless-pg://" + service + ":" + pooler.port() + "/" + pooler.database() + "?user="
        + pooler.user();
    List<Result> runs = runProcesses(2, pooler.password(), Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
        List.of("-Djdk.net.hosts.file=" + hosts), url, String.valueOf(EXECUTIONS));
    for (Result run : runs) {
      assertThat(run.exitCode).as(run.output).isZero();
      assertThat(run.value("ERRORS")).isEqualTo("0");
      assertThat(run.explain())
          .contains("mode: transaction (auto: the probe found a pooler at " + service + ":" + pooler.port())
          .contains("platform: kubernetes (from KUBERNETES_SERVICE_HOST; many requests per instance at once)")
          .contains("physical connections: at most 10 (+")
          .contains("connection limit: kubernetes (from KUBERNETES_SERVICE_HOST) serves many requests at once");
    }
  }

  /**
   * A session-mode PgBouncer also sends its own key: the probe cannot tell its mode, so it is treated as a
   * transaction pooler (safe; session features are given up), and explain says how to keep them. An explicit mode is
   * never probed.
   */
  @Test
  void aSessionPoolerFoundByTheProbeIsTreatedAsTransactionModeUnlessTheUrlSaysSession(
      @Pooler(PoolMode.SESSION) PgBouncerServer pooler) throws Exception {
    String url = readmeUrl(pooler.jdbcUrl(), pooler.user(), "");
    Result run = runProcesses(1, pooler.password(), Map.of(), List.of(), url, "10").get(0);
    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.value("ERRORS")).isEqualTo("0");
    assertThat(run.value("SERVER_PREPARE")).isEqualTo("false");
    assertThat(run.explain())
        .contains("mode: transaction (auto: the probe found a pooler at " + pooler.host() + ":" + pooler.port())
        .contains("set mode=session for a session-mode pooler");

    // an explicit mode is never probed (in this JVM: mode= beats every environment variable)
    String session = url + "&ApplicationName=probe-session&reuse=false&mode=session";
    Properties password = new Properties();
    password.setProperty("password", pooler.password());
    try (Connection connection = DriverManager.getConnection(session, password)) {
      assertThat(connection.isValid(1)).isTrue();
    }
    assertThat(ServerlessPgDriver.explain(session, password)).contains("mode: session (mode=session)")
        .doesNotContain("the probe");
  }

  private static String readmeUrl(String plainUrl, String user, String more) {
    return plainUrl.replace("jdbc:postgresql:", "jdbc:serverless-pg:") + "?user=" + user + more;
  }

  /** Starts {@code count} processes at once and waits for all of them. */
  private static List<Result> runProcesses(int count, String password, Map<String, String> environment,
      List<String> jvmOptions, String... arguments) throws Exception {
    List<Process> processes = new ArrayList<>();
    List<CompletableFuture<String>> outputs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(ProbeWorkload.class.getName());
      command.addAll(List.of(arguments));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      // Only what the test sets: a CI machine's own platform variables must not decide the outcome.
      builder.environment().clear();
      builder.environment().putAll(environment);
      builder.environment().put("PROBE_PASSWORD", password);
      Process process = builder.start();
      processes.add(process);
      outputs.add(CompletableFuture.supplyAsync(() -> read(process.getInputStream())));
    }
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Process process = processes.get(i);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("process " + i + " did not finish in 120 s");
      }
      results.add(new Result(process.exitValue(), outputs.get(i).get(10, TimeUnit.SECONDS)));
    }
    return results;
  }

  private static String read(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  /** A finished process: its exit code and the {@code KEY value} lines it printed. */
  private static final class Result {
    final int exitCode;
    final String output;

    Result(int exitCode, String output) {
      this.exitCode = exitCode;
      this.output = output;
    }

    String value(String key) {
      for (String line : output.split("\n")) {
        if (line.startsWith(key + " ")) {
          return line.substring(key.length() + 1).strip();
        }
      }
      throw new AssertionError("no " + key + " line in:\n" + output);
    }

    String explain() {
      StringBuilder explain = new StringBuilder();
      for (String line : output.split("\n")) {
        if (line.startsWith("EXPLAIN ")) {
          explain.append(line.substring("EXPLAIN ".length())).append('\n');
        }
      }
      return explain.toString();
    }
  }
}
