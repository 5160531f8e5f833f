package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.telemetry.HealthSnapshot;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Connect failures keep the server's (or the pooler's) SQLSTATE and say where the driver tried to connect, in which
 * mode, and, for the common mistakes, what to change; never the password.
 */
@RealDatabase
class ConnectErrorHintsTest {
  private static final String SECRET = "Hint-Secr3t-Pa55";

  @Test
  void unknownHostNamesTheHost() {
    Properties info = new Properties();
    info.setProperty("user", "app");
    info.setProperty("password", SECRET);
    SQLException error = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(
        "jdbc:serverless-pg://db-host-that-does-not-exist.invalid:5432/app", info));
    assertThat(error.getSQLState()).isEqualTo("08001");
    // "transaction" when the surefire execution with USE_TRANSACTION_MODE=true runs this class too (-Dtest=...).
    assertThat(error.getMessage()).containsPattern("\\[endpoint db-host-that-does-not-exist.invalid:5432, database "
        + "app, user app, mode (auto, before the probe|transaction)")
        .contains("Hint: the host name db-host-that-does-not-exist.invalid does not resolve");
    assertThat(messages(error)).doesNotContain(SECRET);
  }

  @Test
  void wrongPasswordThroughThePoolerSaysThePoolerRefusedIt(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    Properties wrong = pooler.credentials();
    wrong.setProperty("password", SECRET);
    SQLException error = catchThrowableOfType(SQLException.class,
        () -> DriverManager.getConnection(Targets.through(pooler, "hint-password", ""), wrong));
    assertThat(error.getSQLState()).as(error.getMessage()).isEqualTo("08P01");
    assertThat(error.getMessage()).contains("authentication failed")
        .contains("[endpoint " + pooler.host() + ":" + pooler.port())
        .contains("Hint: the pooler at " + pooler.host() + ":" + pooler.port() + " refused the credentials of user "
            + pooler.user());
    assertThat(messages(error)).doesNotContain(SECRET);
  }

  @Test
  void wrongPasswordStraightAtPostgresKeeps28P01(PostgresServer postgres) {
    Properties wrong = postgres.credentials();
    wrong.setProperty("password", SECRET);
    SQLException error = catchThrowableOfType(SQLException.class,
        () -> DriverManager.getConnection(Targets.direct(postgres, "hint-password-direct", "mode=direct"), wrong));
    assertThat(error.getSQLState()).isEqualTo("28P01");
    assertThat(error.getMessage()).contains("mode direct]")
        .contains("Hint: PostgreSQL at " + postgres.host() + ":" + postgres.port() + " refused the credentials");
    assertThat(messages(error)).doesNotContain(SECRET);
  }

  @Test
  void missingDatabaseIsNamedThroughThePoolerAndDirectly(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler,
      PostgresServer postgres) {
    String throughPooler = "jdbc:serverless-pg://" + pooler.host() + ":" + pooler.port() + "/no_such_db";
    SQLException viaPooler = catchThrowableOfType(SQLException.class,
        () -> DriverManager.getConnection(throughPooler, pooler.credentials()));
    assertThat(viaPooler.getSQLState()).as(viaPooler.getMessage()).isEqualTo("08P01");
    assertThat(viaPooler.getMessage()).contains("Hint: the database no_such_db does not exist at "
        + pooler.host() + ":" + pooler.port()).contains("[databases]");

    String direct = "jdbc:serverless-pg://" + postgres.host() + ":" + postgres.port() + "/no_such_db";
    SQLException viaServer = catchThrowableOfType(SQLException.class,
        () -> DriverManager.getConnection(direct, postgres.credentials()));
    assertThat(viaServer.getSQLState()).isEqualTo("3D000");
    assertThat(viaServer.getMessage()).contains("Hint: the database no_such_db does not exist at "
        + postgres.host() + ":" + postgres.port());
  }

  /** Forcing direct mode at a pooler sends {@code search_path} at startup: the hint says the endpoint is a pooler. */
  @Test
  void unsupportedStartupParameterSaysTheEndpointIsAPooler(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    SQLException error = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(
        Targets.through(pooler, "hint-startup", "mode=direct&currentSchema=public"), pooler.credentials()));
    assertThat(error.getSQLState()).as(error.getMessage()).isEqualTo("08P01");
    assertThat(error.getMessage()).contains("unsupported startup parameter")
        .contains("Hint: " + pooler.host() + ":" + pooler.port() + " is a pooler: it rejects the startup parameter "
            + "search_path. Use mode=transaction");
  }

  @Test
  void healthReportsTheSameMessage(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws SQLException {
    Properties wrong = pooler.credentials();
    wrong.setProperty("password", SECRET);
    HealthSnapshot health = ServerlessPgDriver.health(Targets.through(pooler, "hint-health", ""), wrong);
    assertThat(health.status()).isEqualTo(HealthSnapshot.Status.UNHEALTHY);
    assertThat(health.databaseError()).startsWith("08P01: ").contains("Hint: the pooler at");
    assertThat(health.toJson()).contains("Hint: the pooler at").doesNotContain(SECRET);
  }

  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      all.append(t).append('\n');
      for (Throwable suppressed : t.getSuppressed()) {
        all.append(suppressed).append('\n');
      }
    }
    return all.toString();
  }
}
