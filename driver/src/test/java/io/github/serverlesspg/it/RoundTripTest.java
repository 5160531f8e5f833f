package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.testsupport.FaultProxy;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * Round trips, counted: a proxy reads the protocol the client sends and counts the messages it then waits for (Sync,
 * Query; not pgjdbc's BEGIN, which it sends ahead of a transaction's first statement), so each call's count is exact,
 * whatever the machine's speed. Transaction mode with emulated
 * settings sends a plain autocommit statement with the settings in front in one execution (one Sync): as many round
 * trips as plain pgjdbc. What still costs more is pinned here too, as docs/modes.md describes it.
 */
@RealDatabase
class RoundTripTest {
  private final PostgresServer postgres;
  private final PgBouncerServer pooler;
  private FaultProxy toPooler;
  private FaultProxy toPostgres;

  RoundTripTest(PostgresServer postgres, @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    this.postgres = postgres;
    this.pooler = pooler;
  }

  @BeforeAll
  static void createSchema(PostgresServer postgres) throws SQLException {
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("create schema if not exists rt");
      statement.execute("create table if not exists rt.items(id serial primary key, note text)");
      statement.execute("create or replace function public.rt_nothing() returns int language sql as 'select 1'");
    }
  }

  @BeforeEach
  void startProxies() {
    toPooler = FaultProxy.to(pooler.host(), pooler.port());
    toPostgres = FaultProxy.to(postgres.host(), postgres.port());
  }

  @AfterEach
  void stopProxies() {
    toPooler.close();
    toPostgres.close();
  }

  private Connection driver(String application, String parameters) throws SQLException {
    return DriverManager.getConnection("jdbc:serverless-pg://" + toPooler.address() + "/" + pooler.database()
        + "?mode=transaction&reuse=false&telemetry=off&ApplicationName=" + application + parameters,
        pooler.credentials());
  }

  private Connection plainPgjdbc(String parameters) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + toPostgres.address() + "/" + postgres.database()
        + "?sslmode=disable&ApplicationName=rt-plain" + parameters, postgres.credentials());
  }

  /** Runs {@code call} and returns how many round trips it made through {@code proxy}. */
  private static long roundTrips(FaultProxy proxy, SqlCall call) throws SQLException {
    long before = proxy.roundTrips();
    call.run();
    return proxy.roundTrips() - before;
  }

  @FunctionalInterface
  interface SqlCall {
    void run() throws SQLException;
  }

  @Test
  void anAutocommitStatementWithTheSchemaEmulatedCostsOneRoundTripLikePlainPgjdbc() throws SQLException {
    try (Connection driver = driver("rt-schema", "&currentSchema=rt");
        Connection plain = plainPgjdbc("&currentSchema=rt");
        Statement viaDriver = driver.createStatement();
        Statement viaPgjdbc = plain.createStatement()) {
      for (Statement statement : new Statement[] {viaDriver, viaPgjdbc}) {
        FaultProxy proxy = statement == viaDriver ? toPooler : toPostgres;
        String[] schema = new String[1];
        assertThat(roundTrips(proxy, () -> {
          try (ResultSet result = statement.executeQuery("select current_schema()")) {
            result.next();
            schema[0] = result.getString(1);
          }
        })).as("executeQuery").isEqualTo(1);
        assertThat(schema[0]).isEqualTo("rt");
        assertThat(roundTrips(proxy, () -> statement.execute("select current_schema()"))).isEqualTo(1);
        assertThat(roundTrips(proxy, () -> statement.executeUpdate("insert into items(note) values ('rt')")))
            .isEqualTo(1);
        assertThat(roundTrips(proxy, () -> statement.executeLargeUpdate("insert into items(note) values ('rt')")))
            .isEqualTo(1);
      }
    }
  }

  @Test
  void anAutocommitPreparedStatementWithTheSchemaEmulatedCostsOneRoundTripLikePlainPgjdbc() throws SQLException {
    try (Connection driver = driver("rt-prepared", "&currentSchema=rt");
        Connection plain = plainPgjdbc("&currentSchema=rt&prepareThreshold=0")) {
      for (Connection connection : new Connection[] {driver, plain}) {
        FaultProxy proxy = connection == driver ? toPooler : toPostgres;
        try (PreparedStatement query = connection.prepareStatement("select current_schema() || ?");
            PreparedStatement insert = connection.prepareStatement("insert into items(note) values (?)")) {
          for (int i = 0; i < 3; i++) {
            query.setString(1, " " + i);
            String[] seen = new String[1];
            assertThat(roundTrips(proxy, () -> {
              try (ResultSet result = query.executeQuery()) {
                result.next();
                seen[0] = result.getString(1);
              }
            })).as("executeQuery").isEqualTo(1);
            assertThat(seen[0]).isEqualTo("rt " + i);
            insert.setString(1, "rt-prepared");
            assertThat(roundTrips(proxy, insert::executeUpdate)).as("executeUpdate").isEqualTo(1);
            assertThat(roundTrips(proxy, insert::execute)).as("execute").isEqualTo(1);
          }
        }
      }
    }
  }

  /**
   * Autocommit off: pgjdbc sends its BEGIN with the transaction's first statement, and the settings go between them
   * in the same execution; an isolation level to set (SET TRANSACTION, which must come first) costs one round trip more.
   */
  @Test
  void aTransactionWithTheSchemaEmulatedCostsWhatPlainPgjdbcCosts() throws SQLException {
    try (Connection driver = driver("rt-transaction", "&currentSchema=rt");
        Connection plain = plainPgjdbc("&currentSchema=rt&prepareThreshold=0")) {
      for (Connection connection : new Connection[] {driver, plain}) {
        FaultProxy proxy = connection == driver ? toPooler : toPostgres;
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement();
            PreparedStatement insert = connection.prepareStatement("insert into items(note) values (?)")) {
          String[] schema = new String[1];
          assertThat(roundTrips(proxy, () -> {
            try (ResultSet result = statement.executeQuery("select current_schema()")) {
              result.next();
              schema[0] = result.getString(1);
            }
          })).as("first statement, %s", connection == driver ? "driver" : "pgjdbc").isEqualTo(1);
          assertThat(schema[0]).isEqualTo("rt");
          insert.setString(1, "rt-transaction");
          assertThat(roundTrips(proxy, insert::executeUpdate)).as("second statement").isEqualTo(1);
          assertThat(roundTrips(proxy, connection::commit)).as("commit").isEqualTo(1);
          assertThat(roundTrips(proxy, insert::executeUpdate)).as("first statement, prepared").isEqualTo(1);
          assertThat(roundTrips(proxy,
              () -> statement.executeUpdate("insert into items(note) values ('rt-transaction')")))
              .as("second statement").isEqualTo(1);
          assertThat(roundTrips(proxy, connection::commit)).as("commit").isEqualTo(1);
        }
      }
      driver.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      try (Statement statement = driver.createStatement()) {
        assertThat(roundTrips(toPooler, () -> {
          statement.executeQuery("select current_schema()").close();
          driver.commit();
        })).as("with an isolation level").isEqualTo(3);
      }
    }
  }

  @Test
  void setSchemaAndRawSetsAreSentWithTheStatementToo() throws SQLException {
    try (Connection driver = driver("rt-set", ""); Statement statement = driver.createStatement()) {
      driver.setSchema("rt");
      statement.execute("SET work_mem = '8MB'");
      String[] seen = new String[1];
      assertThat(roundTrips(toPooler, () -> {
        try (ResultSet result = statement.executeQuery("select current_schema() || ' ' || current_setting('work_mem')")) {
          result.next();
          seen[0] = result.getString(1);
        }
      })).isEqualTo(1);
      assertThat(seen[0]).isEqualTo("rt 8MB");
    }
  }

  /**
   * What still runs as {@code BEGIN} + settings, the statement, {@code COMMIT} (three round trips): executions whose
   * results the prologue cannot be kept out of with certainty (documented in docs/modes.md).
   */
  @Test
  void whatIsNotSentInOneRoundTripCostsThree() throws SQLException {
    try (Connection driver = driver("rt-fallback", "&currentSchema=rt"); Statement statement = driver.createStatement()) {
      assertThat(roundTrips(toPooler,
          () -> statement.executeUpdate("insert into items(note) values ('keys')", Statement.RETURN_GENERATED_KEYS)))
          .as("generated keys").isEqualTo(3);
      assertThat(roundTrips(toPooler, () -> statement.execute("select 1; select 2"))).as("several statements")
          .isEqualTo(3);
      statement.addBatch("insert into items(note) values ('batch')");
      assertThat(roundTrips(toPooler, statement::executeBatch)).as("batch").isEqualTo(3);
      try (PreparedStatement prepared = driver.prepareStatement("insert into items(note) values (?)")) {
        prepared.setString(1, "prepared batch");
        prepared.addBatch();
        assertThat(roundTrips(toPooler, prepared::executeBatch)).as("prepared batch").isEqualTo(3);
        prepared.setCharacterStream(1, new java.io.StringReader("a reader is read once"));
        assertThat(roundTrips(toPooler, prepared::executeUpdate)).as("prepared with a reader").isEqualTo(3);
        prepared.clearParameters();
        prepared.setString(1, "after clearParameters");
        assertThat(roundTrips(toPooler, prepared::executeUpdate)).as("prepared after clearParameters").isEqualTo(1);
      }
      try (PreparedStatement prepared = driver.prepareStatement("select current_schema()")) {
        driver.setSchema("public");
        assertThat(roundTrips(toPooler, () -> prepared.executeQuery().close()))
            .as("prepared before the settings changed").isEqualTo(3);
      }
      try (java.sql.CallableStatement call = driver.prepareCall("{call public.rt_nothing()}")) {
        assertThat(roundTrips(toPooler, call::execute)).as("callable").isEqualTo(3);
      }
    }
  }

  /**
   * With preferQueryMode=simple pgjdbc sends a statement's whole text as one Query, so an error's position would count
   * from the settings in front of it: the settings go in a transaction of their own instead, and the position is the
   * one plain pgjdbc reports.
   */
  @Test
  void theSimpleQueryModeKeepsTheSettingsApart() throws SQLException {
    try (Connection driver = driver("rt-simple", "&currentSchema=rt&preferQueryMode=simple");
        Statement statement = driver.createStatement()) {
      assertThat(roundTrips(toPooler, () -> statement.execute("select current_schema()"))).isEqualTo(3);
      assertThatThrownBy(() -> statement.execute("selec 1")).isInstanceOfSatisfying(PSQLException.class,
          e -> assertThat(e.getServerErrorMessage().getPosition()).isEqualTo(1));
    }
  }

  /** Without settings to apply nothing is added: one round trip per statement, as in plain pgjdbc. */
  @Test
  void withoutSettingsAStatementIsSentAlone() throws SQLException {
    try (Connection driver = driver("rt-plain", ""); Statement statement = driver.createStatement();
        PreparedStatement prepared = driver.prepareStatement("select 1")) {
      assertThat(roundTrips(toPooler, () -> statement.execute("select 1"))).isEqualTo(1);
      assertThat(roundTrips(toPooler, () -> prepared.executeQuery().close())).isEqualTo(1);
    }
  }

  /**
   * A connect: authentication's own messages are not counted (they answer the server's challenges); what is counted is
   * every query the driver or pgjdbc sends after login before the connection is handed out.
   */
  @Test
  void aConnectSendsNoQueryAfterAuthentication() throws SQLException {
    long viaDriver = roundTrips(toPooler, () -> driver("rt-connect", "&currentSchema=rt").close());
    long viaPgjdbc = roundTrips(toPostgres, () -> plainPgjdbc("").close());
    assertThat(viaDriver).as("serverless-pg connect, transaction mode").isZero();
    assertThat(viaPgjdbc).as("plain pgjdbc connect with ApplicationName").isEqualTo(1);
  }
}
