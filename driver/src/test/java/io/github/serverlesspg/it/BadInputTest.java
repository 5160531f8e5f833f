package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Bad input gets an SQLException with a fitting SQLSTATE, a message that says what to change, and no password. */
@RealDatabase
class BadInputTest {
  private static final String SECRET = "Sup3r-Secr3t-Pa55";

  @Test
  void unreachableHostFailsFastWith08001AndNoPassword() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Properties info = new Properties();
    info.setProperty("user", "app");
    info.setProperty("password", SECRET);
    SQLException error = catchThrowableOfType(SQLException.class,
        () -> DriverManager.getConnection("jdbc:serverless-pg://127.0.0.1:" + closedPort + "/db?connectTimeout=2&connectRetryBudget=0",
            info));
    assertThat(error.getSQLState()).startsWith("08");
    assertThat(messages(error)).doesNotContain(SECRET);
  }

  @Test
  void wrongPasswordIsRejectedEvenWhenTheRightOneIsCached(PostgresServer postgres) throws SQLException {
    String url = Targets.direct(postgres, "bad-password", "");
    try (Connection connection = DriverManager.getConnection(url, postgres.credentials())) {
      assertThat(connection.isValid(2)).isTrue();
    }
    Properties wrong = postgres.credentials();
    wrong.setProperty("password", SECRET);
    SQLException error = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(url, wrong));
    assertThat(error.getSQLState()).isEqualTo("28P01");
    assertThat(messages(error)).doesNotContain(SECRET);
  }

  @Test
  void passwordInAConnectionStringNeverReachesMessages() {
    String url = "jdbc:serverless-pg:postgresql://app:" + SECRET + "@127.0.0.1:1/db?mode=bogus";
    SQLException error = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(url));
    assertThat(error.getSQLState()).isEqualTo("22023");
    assertThat(messages(error)).contains("'mode'").doesNotContain(SECRET);
  }

  @Test
  void unsetEnvironmentVariableSaysWhichOne() {
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:serverless-pg:env:SPG_SURELY_UNSET_VARIABLE"))
        .hasMessageContaining("SPG_SURELY_UNSET_VARIABLE is not set")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
  }

  @Test
  void invalidPropertyValuesNameTheAllowedValues() {
    Properties info = new Properties();
    info.setProperty("sessionState", "shout");
    info.setProperty("password", SECRET);
    SQLException error = catchThrowableOfType(SQLException.class,
        () -> DriverManager.getConnection("jdbc:serverless-pg://127.0.0.1/db", info));
    assertThat(error.getMessage()).contains("'shout'", "sessionState", "warn, error, ignore");
    assertThat(messages(error)).doesNotContain(SECRET);
  }

  /** Numbers beyond what the driver can hold are refused, never wrapped around into negative timeouts. */
  @Test
  void numbersOutOfRangeAreRefusedNotOverflowed() {
    for (String setting : new String[] {"validationTimeout=3000000000000", "acquireTimeout=2147483648",
        "idleTimeout=-1", "maxConnections=3000000000", "maxConnections=0", "maxLifetime=99999999999999999999"}) {
      SQLException error = catchThrowableOfType(SQLException.class,
          () -> DriverManager.getConnection("jdbc:serverless-pg://127.0.0.1/db?" + setting));
      assertThat((Throwable) error).as(setting).isNotNull();
      assertThat(error.getSQLState()).as(setting).isEqualTo("22023");
      assertThat(error.getMessage()).as(setting).contains(setting.substring(0, setting.indexOf('=')), "2147483647");
    }
  }

  @Test
  void malformedUrlIsA08001() {
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:serverless-pg:postgresql://u:" + SECRET + "@/db"))
        .hasMessageNotContaining(SECRET)
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
  }

  /** Every message in the chain, causes and suppressed included. */
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
