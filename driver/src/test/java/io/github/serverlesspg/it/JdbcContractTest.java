package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.copy.CopyManager;

@RealDatabase
class JdbcContractTest {

  @Test
  void driverIsRegisteredThroughTheServiceFileAndTakesOnlyItsPrefix() throws SQLException {
    assertThat(ServiceLoader.load(Driver.class).stream().map(ServiceLoader.Provider::type))
        .contains(ServerlessPgDriver.class);
    Driver driver = DriverManager.getDriver("jdbc:serverless-pg://localhost/db");
    assertThat(driver).isInstanceOf(ServerlessPgDriver.class);
    assertThat(driver.acceptsURL("jdbc:postgresql://localhost/db")).isFalse();
    assertThat(driver.connect("jdbc:postgresql://localhost/db", new Properties())).isNull();
    assertThat(driver.connect("jdbc:mysql://localhost/db", new Properties())).isNull();
  }

  @Test
  void propertyInfoListsOursAndPgjdbcsWithChoices() throws SQLException {
    DriverPropertyInfo[] info = new ServerlessPgDriver().getPropertyInfo("jdbc:serverless-pg://h/db", null);
    assertThat(Arrays.stream(info).map(p -> p.name)).contains("mode", "maxConnections", "sessionState",
        "prepareThreshold", "sslmode", "ApplicationName");
    DriverPropertyInfo mode = Arrays.stream(info).filter(p -> p.name.equals("mode")).findFirst().orElseThrow();
    assertThat(mode.choices).containsExactly("auto", "transaction", "session", "direct");
    assertThat(mode.description).isNotBlank();
  }

  @Test
  void metadataIsPgjdbcsAndLeadsBackToTheLogicalConnection(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    try (Connection connection = Targets.connect(Targets.through(pooler, "contract-meta", "mode=transaction"),
        pooler.credentials())) {
      assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
      assertThat(connection.getMetaData().getURL()).startsWith("jdbc:postgresql://");
      assertThat(connection.getMetaData().getConnection()).isSameAs(connection);
      try (Statement statement = connection.createStatement()) {
        assertThat(statement.getConnection()).isSameAs(connection);
        try (ResultSet result = statement.executeQuery("select 1")) {
          assertThat(result.getStatement()).isSameAs(statement);
        }
        assertThat(statement.execute("select 2")).isTrue();
        assertThat(statement.getResultSet().getStatement()).isSameAs(statement);
      }
      try (java.sql.PreparedStatement prepared = connection.prepareStatement("select ?::int")) {
        prepared.setInt(1, 3);
        try (ResultSet result = prepared.executeQuery()) {
          assertThat(result.getStatement()).isSameAs(prepared);
          assertThat(result.getStatement().getConnection()).isSameAs(connection);
        }
      }
    }
  }

  /** JDBC 4.2 methods that have default bodies in the interfaces reach pgjdbc's implementations. */
  @Test
  void jdbc42DefaultMethodsAreDelegated(PostgresServer postgres) throws SQLException {
    try (Connection connection = Targets.connect(Targets.direct(postgres, "contract-jdbc42", ""),
        postgres.credentials()); Statement statement = connection.createStatement()) {
      // pgjdbc's own answer, not the interface's default body: the call reached pgjdbc.
      assertThatThrownBy(() -> statement.setLargeMaxRows(2)).hasMessageContaining("PgStatement");
      assertThat(statement.executeLargeUpdate("create temp table contract_jdbc42(id int)")).isZero();
      assertThat(statement.enquoteLiteral("it's")).isEqualTo("'it''s'");
      try (java.sql.PreparedStatement prepared = connection.prepareStatement("select ?::int + 1")) {
        assertThatThrownBy(() -> prepared.setObject(1, 41, java.sql.JDBCType.INTEGER))
            .hasMessageContaining("PgPreparedStatement");
      }
    }
  }

  @Test
  void unwrapReachesPgjdbcForCopy(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws Exception {
    try (Connection connection = Targets.connect(Targets.through(pooler, "contract-copy", "mode=transaction"),
        pooler.credentials())) {
      assertThat(connection.isWrapperFor(PGConnection.class)).isTrue();
      try (Statement statement = connection.createStatement()) {
        statement.execute("create table if not exists copy_target(id int, name text)");
        statement.execute("truncate copy_target");
      }
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      long rows = copy.copyIn("copy copy_target from stdin with (format csv)", new StringReader("1,a\n2,b\n"));
      assertThat(rows).isEqualTo(2);
    }
  }

  @Test
  void listenAndNotifyWorkInSessionMode(@Pooler(PoolMode.SESSION) PgBouncerServer pooler) throws SQLException {
    String url = Targets.through(pooler, "contract-listen", "mode=session");
    try (Connection listener = Targets.connect(url, pooler.credentials());
        Connection notifier = Targets.connect(url, pooler.credentials())) {
      try (Statement statement = listener.createStatement()) {
        statement.execute("listen orders");
      }
      try (Statement statement = notifier.createStatement()) {
        statement.execute("notify orders, 'created'");
      }
      PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(5000);
      assertThat(notifications).extracting(PGNotification::getParameter).containsExactly("created");
    }
  }

  @Test
  void dataSourceGivesTheSameLogicalConnections(PostgresServer postgres) throws SQLException {
    ServerlessPgDataSource dataSource = new ServerlessPgDataSource(Targets.direct(postgres, "contract-ds", ""));
    dataSource.setUser(postgres.user());
    dataSource.setPassword(postgres.password());
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select current_user")) {
      result.next();
      assertThat(result.getString(1)).isEqualTo(postgres.user());
    }
    assertThat(dataSource.toString()).doesNotContain(postgres.password());
    assertThat(dataSource.explain()).contains("mode: direct").doesNotContain(postgres.password());
  }
}
