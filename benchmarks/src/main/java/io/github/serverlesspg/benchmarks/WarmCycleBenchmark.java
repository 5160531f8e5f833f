package io.github.serverlesspg.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.serverlesspg.testsupport.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A warm serverless invocation's connection cost: {@code getConnection} + {@code close} over an already-open
 * physical connection, with and without a {@code SELECT 1}, for this driver and for HikariCP
 * ({@code maximumPoolSize=1}) over the same servers, and, for scale, a new physical pgjdbc connection (TLS as
 * negotiated by pgjdbc's default {@code sslmode=prefer}, SCRAM-SHA-256) per {@code SELECT 1}.
 *
 * <p>{@code serverlessPgDirect} and {@code hikariCP} both go straight to PostgreSQL: the like-for-like pair.
 * {@code serverlessPgTransaction} goes through the transaction-mode PgBouncer, compared with
 * {@code hikariCPViaPgBouncer} (pgjdbc {@code prepareThreshold=0}, as this driver sets in transaction mode).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WarmCycleBenchmark {
  private static final String SELECT_1 = "SELECT 1";

  @State(Scope.Benchmark)
  public static class ServerlessPgDirect {
    ServerlessPgTarget target;

    @Setup(Level.Trial)
    public void open(BenchmarkServers servers) throws SQLException {
      target = new ServerlessPgTarget(servers.postgresAddress(), "direct", servers.postgres().credentials());
    }
  }

  @State(Scope.Benchmark)
  public static class ServerlessPgTransaction {
    ServerlessPgTarget target;

    @Setup(Level.Trial)
    public void open(BenchmarkServers servers) throws SQLException {
      target = new ServerlessPgTarget(servers.transactionPoolerAddress(), "transaction",
          servers.transactionPooler().credentials());
    }
  }

  @State(Scope.Benchmark)
  public static class HikariDirect {
    HikariDataSource dataSource;

    @Setup(Level.Trial)
    public void open(BenchmarkServers servers) {
      dataSource = hikari(servers.postgres().jdbcUrl(), servers.postgres(), false);
    }

    @TearDown(Level.Trial)
    public void close() {
      dataSource.close();
    }
  }

  @State(Scope.Benchmark)
  public static class HikariViaPgBouncer {
    HikariDataSource dataSource;

    @Setup(Level.Trial)
    public void open(BenchmarkServers servers) {
      dataSource = hikari(servers.transactionPooler().jdbcUrl(), servers.postgres(), true);
    }

    @TearDown(Level.Trial)
    public void close() {
      dataSource.close();
    }
  }

  static HikariDataSource hikari(String jdbcUrl, PostgresServer postgres, boolean transactionPooler) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(postgres.user());
    config.setPassword(postgres.password());
    config.setMaximumPoolSize(1);
    if (transactionPooler) {
      config.addDataSourceProperty("prepareThreshold", "0");
    }
    return new HikariDataSource(config);
  }

  // ---------------------------------------------------------------- getConnection + close

  @Benchmark
  public void cycle_serverlessPgDirect_dataSource(ServerlessPgDirect driver) throws SQLException {
    driver.target.fromDataSource().close();
  }

  @Benchmark
  public void cycle_serverlessPgDirect_driverManager(ServerlessPgDirect driver) throws SQLException {
    driver.target.fromDriverManager().close();
  }

  @Benchmark
  public void cycle_serverlessPgTransaction_dataSource(ServerlessPgTransaction driver) throws SQLException {
    driver.target.fromDataSource().close();
  }

  @Benchmark
  public void cycle_serverlessPgTransaction_driverManager(ServerlessPgTransaction driver) throws SQLException {
    driver.target.fromDriverManager().close();
  }

  @Benchmark
  public void cycle_hikariCP(HikariDirect hikari) throws SQLException {
    hikari.dataSource.getConnection().close();
  }

  /** The like-for-like pair of {@code serverlessPgTransaction}: pgjdbc's socket to PgBouncer is plain TCP. */
  @Benchmark
  public void cycle_hikariCPViaPgBouncer(HikariViaPgBouncer hikari) throws SQLException {
    hikari.dataSource.getConnection().close();
  }

  // ---------------------------------------------------------------- getConnection + one call + close

  /**
   * As {@code cycle_*}, with one call on the handle that needs no round trip ({@code getAutoCommit}): a handle that
   * was used, where this driver's close also asks pgjdbc for the transaction state (an unused handle cannot have
   * begun one), as an application's handle always is.
   */
  @Benchmark
  public boolean used_serverlessPgDirect(ServerlessPgDirect driver) throws SQLException {
    try (Connection connection = driver.target.fromDataSource()) {
      return connection.getAutoCommit();
    }
  }

  @Benchmark
  public boolean used_serverlessPgTransaction(ServerlessPgTransaction driver) throws SQLException {
    try (Connection connection = driver.target.fromDataSource()) {
      return connection.getAutoCommit();
    }
  }

  @Benchmark
  public boolean used_hikariCP(HikariDirect hikari) throws SQLException {
    try (Connection connection = hikari.dataSource.getConnection()) {
      return connection.getAutoCommit();
    }
  }

  @Benchmark
  public boolean used_hikariCPViaPgBouncer(HikariViaPgBouncer hikari) throws SQLException {
    try (Connection connection = hikari.dataSource.getConnection()) {
      return connection.getAutoCommit();
    }
  }

  // ---------------------------------------------------------------- getConnection + SELECT 1 + close

  @Benchmark
  public int select1_serverlessPgDirect(ServerlessPgDirect driver) throws SQLException {
    try (Connection connection = driver.target.fromDataSource()) {
      return selectOne(connection);
    }
  }

  @Benchmark
  public int select1_serverlessPgTransaction(ServerlessPgTransaction driver) throws SQLException {
    try (Connection connection = driver.target.fromDataSource()) {
      return selectOne(connection);
    }
  }

  @Benchmark
  public int select1_hikariCP(HikariDirect hikari) throws SQLException {
    return selectOne(hikari.dataSource);
  }

  @Benchmark
  public int select1_hikariCPViaPgBouncer(HikariViaPgBouncer hikari) throws SQLException {
    return selectOne(hikari.dataSource);
  }

  /** What every cold serverless invocation pays without connection reuse: connect, query, disconnect. */
  @Benchmark
  public int select1_newPgjdbcConnection(BenchmarkServers servers) throws SQLException {
    PostgresServer postgres = servers.postgres();
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.credentials())) {
      return selectOne(connection);
    }
  }

  private static int selectOne(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      return selectOne(connection);
    }
  }

  private static int selectOne(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SELECT_1);
        ResultSet result = statement.executeQuery()) {
      result.next();
      return result.getInt(1);
    }
  }
}
