package io.github.serverlesspg.benchmarks;

import io.github.serverlesspg.testsupport.FaultProxy;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Round trips, made visible: the transaction-mode PgBouncer behind a proxy that delays every chunk by
 * {@code delayMillis} in each direction (default 20 ms, so a round trip costs about 40 ms), so that each benchmark's
 * time is roughly its number of round trips times 40 ms plus what loopback costs. Compared with plain pgjdbc over the
 * same proxy:
 * <ul>
 *   <li>a cold connect (a new physical connection, then close);
 *   <li>one {@code SELECT 1} on a warm connection: plain pgjdbc, this driver in transaction mode, and this driver with
 *       {@code currentSchema} set, which it emulates per transaction: a plain Statement goes out with
 *       {@code set_config('search_path', ..., true)} in front of it, in the same round trip; a PreparedStatement
 *       ({@code preparedServerlessPgCurrentSchema}) in a transaction of its own ({@code BEGIN} and the setting, the
 *       statement, {@code COMMIT}).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LatencyProxyBenchmark {

  @State(Scope.Benchmark)
  public static class Proxied {
    @Param({"20"})
    public int delayMillis;

    FaultProxy proxy;
    String address;
    Properties credentials;
    PgBouncerServer pooler;

    @Setup(Level.Trial)
    public void start(BenchmarkServers servers) throws SQLException {
      pooler = servers.transactionPooler();
      credentials = pooler.credentials();
      proxy = FaultProxy.to(pooler.host(), pooler.port()).delay(Duration.ofMillis(delayMillis));
      address = proxy.address() + "/" + pooler.database();
      try (Connection admin = servers.postgres().openAdminConnection(); Statement statement = admin.createStatement()) {
        statement.execute("create schema if not exists bench");
      }
    }

    @TearDown(Level.Trial)
    public void stop() {
      proxy.close();
    }

    String pgjdbcUrl() {
      return "jdbc:postgresql://" + address + "?prepareThreshold=0&ApplicationName=latency-pgjdbc";
    }

    String serverlessPgUrl(String application, String parameters) {
      return "jdbc:serverless-pg://" + address + "?mode=transaction&telemetry=off&ApplicationName=" + application
          + parameters;
    }
  }

  /** Warm connections over the proxy, opened once per trial. */
  @State(Scope.Benchmark)
  public static class Warm {
    Connection pgjdbc;
    Connection serverlessPg;
    Connection serverlessPgWithSchema;

    @Setup(Level.Trial)
    public void open(Proxied proxied) throws SQLException {
      pgjdbc = DriverManager.getConnection(proxied.pgjdbcUrl(), proxied.credentials);
      serverlessPg = DriverManager.getConnection(proxied.serverlessPgUrl("latency-plain", ""), proxied.credentials);
      serverlessPgWithSchema = DriverManager.getConnection(
          proxied.serverlessPgUrl("latency-schema", "&currentSchema=bench"), proxied.credentials);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      pgjdbc.close();
      serverlessPg.close();
      serverlessPgWithSchema.close();
    }
  }

  @Benchmark
  public void coldConnectPgjdbc(Proxied proxied) throws SQLException {
    DriverManager.getConnection(proxied.pgjdbcUrl(), proxied.credentials).close();
  }

  /** {@code reuse=false}: every getConnection opens its own physical connection, as a cold start does. */
  @Benchmark
  public void coldConnectServerlessPg(Proxied proxied) throws SQLException {
    DriverManager.getConnection(proxied.serverlessPgUrl("latency-cold", "&reuse=false"), proxied.credentials)
        .close();
  }

  @Benchmark
  public int statementPgjdbc(Warm warm) throws SQLException {
    return selectOne(warm.pgjdbc);
  }

  @Benchmark
  public int statementServerlessPg(Warm warm) throws SQLException {
    return selectOne(warm.serverlessPg);
  }

  @Benchmark
  public int statementServerlessPgCurrentSchema(Warm warm) throws SQLException {
    return selectOne(warm.serverlessPgWithSchema);
  }

  @Benchmark
  public int preparedPgjdbc(Warm warm) throws SQLException {
    return preparedSelectOne(warm.pgjdbc);
  }

  @Benchmark
  public int preparedServerlessPgCurrentSchema(Warm warm) throws SQLException {
    return preparedSelectOne(warm.serverlessPgWithSchema);
  }

  private static int preparedSelectOne(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT ?");
        ResultSet result = bind(statement).executeQuery()) {
      result.next();
      return result.getInt(1);
    }
  }

  private static PreparedStatement bind(PreparedStatement statement) throws SQLException {
    statement.setInt(1, 1);
    return statement;
  }

  private static int selectOne(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT 1")) {
      result.next();
      return result.getInt(1);
    }
  }
}
