package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing and reuse never weaken TLS. The fixture's server certificate is self-signed for {@code localhost}; trusted
 * as the root ({@code sslrootcert}), it lets {@code verify-full} succeed for the host name {@code localhost} and fail
 * for {@code 127.0.0.1}, the same server: so a connection that opens proves which host name was verified.
 */
@RealDatabase
class TlsReuseTest {
  /** The shared server's max_connections is small: leave no idle physical connection of this test behind. */
  @AfterEach
  void closeIdleConnections() {
    PhysicalConnectionCache.global().closeIdle("test finished");
  }

  private final PostgresServer postgres;
  @TempDir
  Path directory;
  private Path rootCertificate;

  TlsReuseTest(PostgresServer postgres) {
    this.postgres = postgres;
  }

  @BeforeEach
  void trustTheServersCertificate() throws Exception {
    assertThat(postgres.tlsEnabled()).as("the fixture's PostgreSQL has TLS (openssl is installed by .ci/run)")
        .isTrue();
    assertThat(ServerCertificate.fetch(postgres.host(), postgres.port()).getSubjectX500Principal().getName())
        .as("the fixture's certificate names localhost").isEqualTo("CN=localhost");
    rootCertificate = ServerCertificate.saveAsRootCertificate(postgres.host(), postgres.port(), directory);
  }

  /** The configured host does not exist; the pooler address is where the connection goes and what is verified. */
  private String routedTo(String poolerHost, String application) {
    return "jdbc:serverless-pg://db.configured.invalid/" + postgres.database() + "?mode=transaction&pooler="
        + poolerHost + ":" + postgres.port() + "&ApplicationName=" + application + "&sslmode=verify-full"
        + "&sslrootcert=" + rootCertificate;
  }

  @Test
  void verifyFullIsEnforcedAgainstTheRoutedHost() throws SQLException {
    try (Connection connection = DriverManager.getConnection(routedTo("localhost", "tls-routed"),
        postgres.credentials())) {
      assertThat(usesTls(connection)).isTrue();
    }
    SQLException mismatch = catchThrowableOfType(SQLException.class,
        () -> DriverManager.getConnection(routedTo("127.0.0.1", "tls-routed"), postgres.credentials()).close());
    SQLException oracle = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(
        postgres.jdbcUrl() + "?sslmode=verify-full&sslrootcert=" + rootCertificate, postgres.credentials()).close());
    assertThat((Throwable) oracle).as("plain pgjdbc refuses 127.0.0.1 for a certificate of localhost").isNotNull();
    assertThat((Throwable) mismatch).as("the routed 127.0.0.1 is verified too").isNotNull();
    assertThat(mismatch.getSQLState()).isEqualTo(oracle.getSQLState());
  }

  @Test
  void aVerifyFullPlanNeverGetsAPreferConnection() throws SQLException {
    String application = "tls-share";
    String prefer = Targets.direct(postgres, application, "sslmode=prefer&maxConnections=1");
    String verifyFull = "jdbc:serverless-pg://127.0.0.1:" + postgres.port() + "/" + postgres.database()
        + "?ApplicationName=" + application + "&maxConnections=1&sslmode=verify-full&sslrootcert=" + rootCertificate;
    try (Connection borrowed = DriverManager.getConnection(prefer, postgres.credentials())) {
      assertThat(usesTls(borrowed)).isTrue();
      // 127.0.0.1 is not the certificate's name: a prefer connection is open to it, verify-full must still fail.
      assertThat((Throwable) catchThrowableOfType(SQLException.class,
          () -> DriverManager.getConnection(verifyFull, postgres.credentials()).close())).isNotNull();
    }
    assertThat((Throwable) catchThrowableOfType(SQLException.class,
        () -> DriverManager.getConnection(verifyFull, postgres.credentials()).close()))
        .as("refused while the prefer connection is idle").isNotNull();
    assertThat(postgres.countBackends(application)).isEqualTo(1);
  }

  @Test
  void aRequirePlanNeverGetsAPlainConnection() throws SQLException {
    String application = "tls-disable";
    try (Connection plain = DriverManager.getConnection(
        Targets.direct(postgres, application, "sslmode=disable&maxConnections=1"), postgres.credentials())) {
      assertThat(usesTls(plain)).isFalse();
    }
    // The same target, application name and limit; the plain connection is idle in its pool.
    try (Connection encrypted = DriverManager.getConnection(
        Targets.direct(postgres, application, "sslmode=require&maxConnections=1"), postgres.credentials())) {
      assertThat(usesTls(encrypted)).isTrue();
    }
    // An application name imitating another setting is just a name: it gets a pool of its own.
    try (Connection imitating = DriverManager.getConnection(
        Targets.direct(postgres, application + "%7Csslmode%3Ddisable", "sslmode=require"), postgres.credentials())) {
      assertThat(usesTls(imitating)).isTrue();
    }
  }

  private static boolean usesTls(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select ssl from pg_stat_ssl where pid = pg_backend_pid()")) {
      result.next();
      return result.getBoolean(1);
    }
  }
}
