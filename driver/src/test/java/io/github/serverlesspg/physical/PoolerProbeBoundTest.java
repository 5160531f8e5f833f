package io.github.serverlesspg.physical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.routing.ProbeVerdict;
import io.github.serverlesspg.testsupport.FaultProxy;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The probe itself, on real connections: its verdicts, and its bound when the endpoint stops answering. */
@RealDatabase
class PoolerProbeBoundTest {

  @Test
  void postgresIsAServerAndPgBouncerAPooler(PostgresServer postgres,
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws SQLException {
    try (Connection direct = DriverManager.getConnection(postgres.jdbcUrl(), postgres.credentials());
        Connection pooled = DriverManager.getConnection(pooler.jdbcUrl() + "?prepareThreshold=0",
            pooler.credentials())) {
      ProbeVerdict server = PoolerProbe.probe(direct, 5_000);
      assertThat(server.kind()).isEqualTo(ProbeVerdict.Kind.SERVER);
      assertThat(server.evidence()).startsWith("BackendKeyData process id ").contains(" = select pg_backend_pid()");
      ProbeVerdict pgbouncer = PoolerProbe.probe(pooled, 5_000);
      assertThat(pgbouncer.kind()).isEqualTo(ProbeVerdict.Kind.POOLER);
      assertThat(pgbouncer.evidence()).contains(" != select pg_backend_pid() ");
      // the connection's own network timeout is back as it was: none
      assertThat(direct.getNetworkTimeout()).isZero();
    }
  }

  /** An endpoint that stops answering after the login fails the probe within its bound instead of blocking. */
  @Test
  void aStalledEndpointFailsTheProbeWithinItsBound(PostgresServer postgres) throws Exception {
    try (FaultProxy proxy = FaultProxy.to(postgres.host(), postgres.port());
        Connection connection = DriverManager.getConnection("jdbc:postgresql://" + proxy.address() + "/"
            + postgres.database() + "?sslmode=disable", postgres.credentials())) {
      proxy.fault(FaultProxy.Fault.STALL);
      long start = System.nanoTime();
      SQLException failure = catchThrowableOfType(SQLException.class, () -> PoolerProbe.probe(connection, 500));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(failure.getSQLState()).startsWith("08");
      assertThat(millis).as("probe bounded by 500 ms").isLessThan(5_000);
    }
  }
}
