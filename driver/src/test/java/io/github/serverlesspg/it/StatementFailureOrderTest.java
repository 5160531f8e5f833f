package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A statement whose failure also breaks the connection, so that whatever the driver sends after it to end the
 * statement's emulated transaction fails too: the application must see the statement's own failure, as plain pgjdbc
 * shows it, never the failure of the clean-up, and the next handle must work. The fault is real: the statement
 * terminates its own server backend.
 */
@RealDatabase
class StatementFailureOrderTest {
  private static final String SUICIDE = "select pg_terminate_backend(pg_backend_pid())";

  private final PgBouncerServer pooler;

  StatementFailureOrderTest(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    this.pooler = pooler;
  }

  /**
   * @param setting what makes the handle's statements run with emulated settings: an isolation level (which needs
   *     a transaction opened before the statement and ended after it) or a schema
   */
  @ParameterizedTest
  @ValueSource(strings = {"isolation", "schema"})
  void theStatementsFailureIsTheOneThrown(String setting) throws SQLException {
    SQLException expected;
    try (Connection plain = DriverManager.getConnection(
        "jdbc:postgresql://" + pooler.host() + ":" + pooler.port() + "/" + pooler.database()
            + "?prepareThreshold=0&ApplicationName=failure-order-plain", pooler.credentials());
        Statement statement = plain.createStatement()) {
      expected = catchThrowableOfType(() -> statement.execute(SUICIDE), SQLException.class);
    }
    assertThat((Throwable) expected).as("plain pgjdbc's failure").isNotNull();

    String application = "failure-order-" + setting;
    try (Connection connection = Targets.connect(Targets.through(pooler, application, "mode=transaction"),
        pooler.credentials())) {
      if (setting.equals("isolation")) {
        connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      } else {
        connection.setSchema("pg_catalog");
      }
      try (Statement statement = connection.createStatement()) {
        SQLException failure = catchThrowableOfType(() -> statement.execute(SUICIDE), SQLException.class);
        assertThat((Throwable) failure).as("the statement's failure").isNotNull();
        assertThat(failure.getSQLState()).isEqualTo(expected.getSQLState());
        assertThat(failure.getMessage()).isEqualTo(expected.getMessage());
      }
    }
    try (Connection next = Targets.connect(Targets.through(pooler, application, "mode=transaction"),
        pooler.credentials()); Statement statement = next.createStatement();
        ResultSet result = statement.executeQuery("select 42")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getInt(1)).isEqualTo(42);
    }
  }
}
