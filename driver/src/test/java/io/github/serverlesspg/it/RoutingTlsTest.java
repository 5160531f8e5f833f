package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A routed endpoint keeps the URL's TLS settings: never weakened, verified against the host actually used. */
@RealDatabase
class RoutingTlsTest {
  private final PostgresServer postgres;

  RoutingTlsTest(PostgresServer postgres) {
    this.postgres = postgres;
  }

  @BeforeEach
  void requireTls() {
    assertThat(postgres.tlsEnabled()).as("the fixture's PostgreSQL has TLS (openssl is installed by .ci/run)")
        .isTrue();
  }

  private String routed(String tls) {
    // The configured host does not exist; the explicit pooler address is where the connection really goes.
    return "jdbc:serverless-pg://db.configured.invalid/" + postgres.database() + "?mode=transaction&pooler="
        + postgres.host() + ":" + postgres.port() + "&ApplicationName=routing-tls&" + tls;
  }

  @Test
  void sslmodeRequireSurvivesTheRewrite() throws SQLException {
    try (Connection connection = Targets.connect(routed("sslmode=require"), postgres.credentials());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select ssl from pg_stat_ssl where pid = pg_backend_pid()")) {
      result.next();
      assertThat(result.getBoolean(1)).isTrue();
    }
  }

  @Test
  void verifyFullStillVerifiesTheRoutedHost() {
    // The fixture's certificate is self-signed and not trusted: verification must fail, not be skipped.
    SQLException error = catchThrowableOfType(SQLException.class,
        () -> Targets.connect(routed("sslmode=verify-full"), postgres.credentials()).close());
    assertThat((Throwable) error).isNotNull();
    assertThat(error.getSQLState()).startsWith("08");
  }
}
