package io.github.serverlesspg.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.serverlesspg.ServerlessPgDataSource;
import java.sql.Connection;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Waiting under overload: 1000 threads share 5 physical connections to PostgreSQL, each operation a
 * {@code getConnection} + {@code SELECT 1} + {@code close}, for this driver ({@code maxConnections=5}) and HikariCP
 * ({@code maximumPoolSize=5}), both with a 30 s acquire timeout. Sample mode: the percentiles of the operation time
 * are dominated by the wait for a connection, so p99 and max show whether some waiters starve (FIFO hand-off) or
 * not.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1000)
public class PoolWaitBenchmark {
  private static final int CONNECTIONS = 5;

  @State(Scope.Benchmark)
  public static class ServerlessPg {
    ServerlessPgDataSource dataSource;

    @Setup(Level.Trial)
    public void open(BenchmarkServers servers) throws SQLException {
      dataSource = new ServerlessPgDataSource("jdbc:serverless-pg://" + servers.postgresAddress()
          + "?mode=direct&maxConnections=" + CONNECTIONS + "&acquireTimeout=30000&telemetry=off"
          + "&ApplicationName=pool-wait");
      dataSource.setProperties(servers.postgres().credentials());
    }

    @TearDown(Level.Trial)
    public void close() {
      dataSource.close();
    }
  }

  @State(Scope.Benchmark)
  public static class Hikari {
    HikariDataSource dataSource;

    @Setup(Level.Trial)
    public void open(BenchmarkServers servers) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(servers.postgres().jdbcUrl());
      config.setUsername(servers.postgres().user());
      config.setPassword(servers.postgres().password());
      config.setMaximumPoolSize(CONNECTIONS);
      config.setConnectionTimeout(30_000);
      dataSource = new HikariDataSource(config);
    }

    @TearDown(Level.Trial)
    public void close() {
      dataSource.close();
    }
  }

  @Benchmark
  public int serverlessPg(ServerlessPg pool) throws SQLException {
    return selectOne(pool.dataSource);
  }

  @Benchmark
  public int hikariCP(Hikari pool) throws SQLException {
    return selectOne(pool.dataSource);
  }

  private static int selectOne(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT 1");
        ResultSet result = statement.executeQuery()) {
      result.next();
      return result.getInt(1);
    }
  }
}
