package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.PgConnection;

/** Corners of the JDBC contract, against PostgreSQL behind the transaction-mode PgBouncer. */
@RealDatabase
class JdbcContractGapsTest {

  @Test
  void aNullUrlIsAnSqlExceptionNotANull() {
    SQLException error = catchThrowableOfType(SQLException.class,
        () -> new ServerlessPgDriver().connect(null, new Properties()));
    assertThat(error.getSQLState()).isEqualTo("08001");
    assertThat(error.getMessage()).contains("null");
  }

  @Test
  void propertyInfoReportsTheValuesOfTheUrl() throws SQLException {
    Properties info = new Properties();
    info.setProperty("maxConnections", "3");
    info.setProperty("sessionState", "error");
    DriverPropertyInfo[] all = new ServerlessPgDriver()
        .getPropertyInfo("jdbc:serverless-pg://h/db?maxConnections=7&ApplicationName=report", info);
    assertThat(value(all, "maxConnections")).as("the URL wins, as when connecting").isEqualTo("7");
    assertThat(value(all, "ApplicationName")).isEqualTo("report");
    assertThat(value(all, "sessionState")).isEqualTo("error");
  }

  @Test
  void metadataResultsLeadBackToTheLogicalConnectionAndTheProxyEqualsItself(
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) throws SQLException {
    try (Connection connection = Targets.connect(Targets.through(pooler, "gaps-meta", "mode=transaction"),
        pooler.credentials())) {
      DatabaseMetaData metaData = connection.getMetaData();
      assertThat(metaData.equals(metaData)).isTrue();
      assertThat(metaData.hashCode()).isEqualTo(metaData.hashCode());
      assertThat(metaData).isNotEqualTo(connection.getMetaData());
      try (ResultSet tables = metaData.getTables(null, null, "%", new String[] {"TABLE"})) {
        assertThat(tables.getStatement().getConnection()).isSameAs(connection);
        assertThat(tables.getStatement().getConnection().unwrap(PGConnection.class))
            .isSameAs(connection.unwrap(PGConnection.class));
      }
    }
  }

  @Test
  void closedStatementsAndResultsDoNotHandOutTheirParents(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    try (Connection connection = Targets.connect(Targets.through(pooler, "gaps-closed", "mode=transaction"),
        pooler.credentials())) {
      Statement statement = connection.createStatement();
      ResultSet result = statement.executeQuery("select 1");
      result.close();
      assertThat(catchThrowableOfType(SQLException.class, result::getStatement).getSQLState()).isEqualTo("08003");
      statement.close();
      assertThat(catchThrowableOfType(SQLException.class, statement::getConnection).getSQLState())
          .isEqualTo("08003");
    }
  }

  @Test
  void warningsDoNotCarryOverToTheNextHandle(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    String url = Targets.through(pooler, "gaps-warnings", "mode=transaction&maxConnections=1");
    PGConnection physical;
    try (Connection first = Targets.connect(url, pooler.credentials())) {
      physical = first.unwrap(PGConnection.class);
      first.unwrap(PgConnection.class).addWarning(new SQLWarning("left over by the first handle"));
      assertThat((Object) first.getWarnings()).isNotNull();
    }
    try (Connection second = Targets.connect(url, pooler.credentials())) {
      assertThat(second.unwrap(PGConnection.class)).isSameAs(physical);
      assertThat((Object) second.getWarnings()).isNull();
    }
  }

  @Test
  void aDataSourceClosesItsPoolAndOpensANewOneWhenUsedAgain(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    String application = "gaps-datasource";
    PGConnection before;
    try (ServerlessPgDataSource dataSource = new ServerlessPgDataSource(
        Targets.through(pooler, application, "mode=transaction&maxConnections=1"))) {
      dataSource.setProperties(pooler.credentials());
      try (Connection connection = dataSource.getConnection()) {
        before = connection.unwrap(PGConnection.class);
      }
      assertThat(Targets.clientsOf(pooler, application)).isEqualTo(1);
      dataSource.close();
      assertThat(Targets.clientsOf(pooler, application)).isZero();
      try (Connection connection = dataSource.getConnection()) {
        assertThat(connection.unwrap(PGConnection.class)).isNotSameAs(before);
      }
    }
    assertThat(Targets.clientsOf(pooler, application)).isZero();
  }

  private static String value(DriverPropertyInfo[] all, String name) {
    return Arrays.stream(all).filter(p -> p.name.equals(name)).findFirst().orElseThrow().value;
  }
}
