package io.github.serverlesspg.benchmarks;

import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PostgresServer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A real PostgreSQL 15 and a transaction-mode PgBouncer for one benchmark fork, from the test fixture. Started once
 * per trial: every benchmark state that talks to a database depends on this one.
 */
@State(Scope.Benchmark)
public class BenchmarkServers {
  private DatabaseEnvironment environment;

  @Setup(Level.Trial)
  public void start() {
    environment = DatabaseEnvironment.builder().build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    environment.close();
  }

  public PostgresServer postgres() {
    return environment.postgres();
  }

  public PgBouncerServer transactionPooler() {
    return environment.transactionPooler();
  }

  /** {@code host:port/database} of PostgreSQL itself. */
  public String postgresAddress() {
    PostgresServer postgres = postgres();
    return postgres.host() + ":" + postgres.port() + "/" + postgres.database();
  }

  /** {@code host:port/database} through the transaction-mode PgBouncer. */
  public String transactionPoolerAddress() {
    PgBouncerServer pooler = transactionPooler();
    return pooler.host() + ":" + pooler.port() + "/" + pooler.database();
  }
}
