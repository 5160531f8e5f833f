package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Which user a connection is logged in as, for every entry point and mode, with plain pgjdbc as the oracle: the same
 * credentials give the same {@code current_user}, or the same refusal. Each case runs while a warm physical
 * connection of the URL's own credentials (a superuser) is both borrowed and idle, the situation in which a pool
 * key that ignored the credentials would hand it out.
 */
@RealDatabase
class CredentialsTest {
  /** The shared server's max_connections is small: leave no idle physical connection of this test behind. */
  @AfterEach
  void closeIdleConnections() {
    PhysicalConnectionCache.global().closeIdle("test finished");
  }

  static final String OTHER = "credentials_other";
  static final String OTHER_PASSWORD = "Other?Secret@42";

  /** The three modes, each against the server that suits it. */
  private static List<Target> targets(PostgresServer postgres, PgBouncerServer transaction, PgBouncerServer session) {
    return List.of(new Target("direct", postgres.host(), postgres.port(), postgres.database()),
        new Target("transaction", transaction.host(), transaction.port(), transaction.database()),
        new Target("session", session.host(), session.port(), session.database()));
  }

  @Test
  void dataSourceCredentialsAreUsedAsPgSimpleDataSourceUsesThem(PostgresServer postgres,
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer transaction, @Pooler(PoolMode.SESSION) PgBouncerServer session)
      throws SQLException {
    createOtherRole(postgres);
    for (Target target : targets(postgres, transaction, session)) {
      String credentials = "user=" + postgres.user() + "&password=" + encode(postgres.password());
      ServerlessPgDataSource ours = new ServerlessPgDataSource(target.ours("ds-" + target.mode, credentials));
      PGSimpleDataSource oracle = new PGSimpleDataSource();
      oracle.setUrl(target.pgjdbc("ds-oracle-" + target.mode, credentials));
      List<String[]> pairs = credentialPairs(postgres);
      try (Connection held = ours.getConnection()) {
        assertThat(currentUser(held)).isEqualTo(postgres.user());
        for (String[] pair : pairs) {
          assertThat(outcome(() -> ours.getConnection(pair[0], pair[1])))
              .as("%s: DataSource.getConnection(%s, ...) while a %s connection is borrowed", target.mode, pair[0],
                  postgres.user())
              .isEqualTo(outcome(() -> oracle.getConnection(pair[0], pair[1])));
        }
      }
      for (String[] pair : pairs) {
        assertThat(outcome(() -> ours.getConnection(pair[0], pair[1])))
            .as("%s: DataSource.getConnection(%s, ...) while a %s connection is idle", target.mode, pair[0],
                postgres.user())
            .isEqualTo(outcome(() -> oracle.getConnection(pair[0], pair[1])));
      }
      // setUser/setPassword override the URL's, as PGSimpleDataSource's setters do after setUrl.
      ours.setUser(OTHER);
      ours.setPassword(OTHER_PASSWORD);
      oracle.setUser(OTHER);
      oracle.setPassword(OTHER_PASSWORD);
      assertThat(outcome(ours::getConnection)).as("%s: setUser/setPassword", target.mode)
          .isEqualTo(outcome(oracle::getConnection));
      ours.setPassword("wrong");
      oracle.setPassword("wrong");
      assertThat(outcome(ours::getConnection)).as("%s: setPassword(wrong)", target.mode)
          .isEqualTo(outcome(oracle::getConnection)).startsWith("refused");
      closeIdleConnections();
    }
  }

  @Test
  void driverManagerResolvesCredentialsAsPgjdbc(PostgresServer postgres,
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer transaction, @Pooler(PoolMode.SESSION) PgBouncerServer session)
      throws SQLException {
    createOtherRole(postgres);
    for (Target target : targets(postgres, transaction, session)) {
      for (String credentials : List.of("", "user=" + postgres.user() + "&password=" + encode(postgres.password()))) {
        String ours = target.ours("dm-" + target.mode, credentials);
        String oracle = target.pgjdbc("dm-oracle-" + target.mode, credentials);
        try (Connection warm = DriverManager.getConnection(ours, postgres.user(), postgres.password())) {
          assertThat(currentUser(warm)).isEqualTo(postgres.user());
          for (String[] pair : credentialPairs(postgres)) {
            // pgjdbc: URL arguments override the user and password given to getConnection.
            assertThat(outcome(() -> DriverManager.getConnection(ours, pair[0], pair[1])))
                .as("%s: getConnection(url%s, %s, ...)", target.mode, credentials.isEmpty() ? "" : " with user",
                    pair[0])
                .isEqualTo(outcome(() -> DriverManager.getConnection(oracle, pair[0], pair[1])));
          }
        }
        closeIdleConnections();
      }
    }
  }

  /** pgjdbc has no user info; explicit credentials take precedence over it, as over any default. */
  @Test
  void propertiesTakePrecedenceOverConnectionStringUserInfo(PostgresServer postgres) throws SQLException {
    createOtherRole(postgres);
    String url = "jdbc:serverless-pg:postgresql://" + postgres.user() + ":" + encode(postgres.password()) + "@"
        + postgres.host() + ":" + postgres.port() + "/" + postgres.database() + "?application_name=userinfo";
    try (Connection warm = DriverManager.getConnection(url)) {
      assertThat(currentUser(warm)).isEqualTo(postgres.user());
      assertThat(outcome(() -> DriverManager.getConnection(url, OTHER, OTHER_PASSWORD))).isEqualTo("user " + OTHER);
      assertThat(outcome(() -> DriverManager.getConnection(url, postgres.user(), "wrong")))
          .isEqualTo("refused 28P01");
      assertThat(outcome(() -> DriverManager.getConnection(url, OTHER, null))).startsWith("refused");
    }
  }

  /** A password holding '?' and '@' unencoded, as dashboards sometimes print it: user info ends at the last '@'. */
  @Test
  void unencodedPasswordsWithQuestionMarkAndAtSignConnect(PostgresServer postgres) throws SQLException {
    createOtherRole(postgres);
    String url = "jdbc:serverless-pg:postgresql://" + OTHER + ":" + OTHER_PASSWORD + "@" + postgres.host() + ":"
        + postgres.port() + "/" + postgres.database() + "?application_name=unencoded";
    assertThat(outcome(() -> DriverManager.getConnection(url))).isEqualTo("user " + OTHER);
  }

  static List<String[]> credentialPairs(PostgresServer postgres) {
    List<String[]> pairs = new ArrayList<>();
    pairs.add(new String[] {postgres.user(), postgres.password()});
    pairs.add(new String[] {postgres.user(), "wrong"});
    pairs.add(new String[] {postgres.user(), null});
    pairs.add(new String[] {"app2", "wrong"});
    pairs.add(new String[] {OTHER, OTHER_PASSWORD});
    pairs.add(new String[] {OTHER, "wrong"});
    return pairs;
  }

  static void createOtherRole(PostgresServer postgres) throws SQLException {
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("do $$ begin create role " + OTHER + " login; "
          + "exception when duplicate_object then null; end $$");
      statement.execute("alter role " + OTHER + " password '" + OTHER_PASSWORD + "'");
      statement.execute("grant connect on database " + postgres.database() + " to " + OTHER);
    }
  }

  interface Connect {
    Connection open() throws SQLException;
  }

  /** {@code user NAME} when the connection opens, {@code refused SQLSTATE} when it does not. */
  static String outcome(Connect connect) {
    try (Connection connection = connect.open()) {
      return "user " + currentUser(connection);
    } catch (SQLException e) {
      return "refused " + e.getSQLState();
    }
  }

  static String currentUser(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select current_user")) {
      result.next();
      return result.getString(1);
    }
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** One server and the mode to use it in. */
  record Target(String mode, String host, int port, String database) {
    String ours(String application, String parameters) {
      return "jdbc:serverless-pg://" + host + ":" + port + "/" + database + "?mode=" + mode + "&ApplicationName="
          + application + (parameters.isEmpty() ? "" : "&" + parameters);
    }

    /** Plain pgjdbc the way this driver's mode uses it: no named prepares behind a transaction pooler. */
    String pgjdbc(String application, String parameters) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?ApplicationName=" + application
          + (mode.equals("transaction") ? "&prepareThreshold=0" : "") + (parameters.isEmpty() ? "" : "&" + parameters);
    }
  }
}
