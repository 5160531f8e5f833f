package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Over credential pairs, entry points and modes, with plain pgjdbc as the oracle: while a warm connection of the
 * URL's own credentials (a superuser) is held, any user and password, right or wrong, gives exactly what pgjdbc gives
 * for the credentials docs/credentials.md says are used: the same {@code current_user} or the same refusal.
 */
class CredentialPairsPropertyTest {
  private static DatabaseEnvironment environment;

  @BeforeContainer
  static void servers() throws SQLException {
    environment = DatabaseEnvironment.shared();
    CredentialsTest.createOtherRole(environment.postgres());
  }

  @AfterTry
  void closeIdle() {
    PhysicalConnectionCache.global().closeIdle("try finished");
  }

  @AfterContainer
  static void closeAll() {
    PhysicalConnectionCache.global().closeIdle("test finished");
  }

  @Property(tries = 25)
  void everyEntryPointUsesTheCredentialsPgjdbcWould(@ForAll("modes") String mode,
      @ForAll("entryPoints") String entryPoint, @ForAll("users") String userChoice,
      @ForAll("passwords") String passwordChoice) throws SQLException {
    PostgresServer postgres = environment.postgres();
    CredentialsTest.Target target = target(mode);
    String superuser = postgres.user();
    String user = userChoice.equals("superuser") ? superuser : userChoice;
    String password = switch (passwordChoice) {
      case "right" -> user.equals(superuser) ? postgres.password() : CredentialsTest.OTHER_PASSWORD;
      case "none" -> null;
      default -> passwordChoice;
    };
    String urlCredentials = "user=" + superuser + "&password=" + CredentialsTest.encode(postgres.password());
    String application = "pairs-" + mode;
    String ours;
    String expected;
    String actual;
    try (Connection warm = DriverManager.getConnection(target.ours(application, urlCredentials))) {
      assertThat(CredentialsTest.currentUser(warm)).isEqualTo(superuser);
      switch (entryPoint) {
        case "DataSource.getConnection(user, password)": {
          ServerlessPgDataSource dataSource = new ServerlessPgDataSource(target.ours(application, urlCredentials));
          org.postgresql.ds.PGSimpleDataSource oracle = new org.postgresql.ds.PGSimpleDataSource();
          oracle.setUrl(target.pgjdbc(application, urlCredentials));
          actual = CredentialsTest.outcome(() -> dataSource.getConnection(user, password));
          expected = CredentialsTest.outcome(() -> oracle.getConnection(user, password));
          break;
        }
        case "DataSource.setUser/setPassword": {
          ServerlessPgDataSource dataSource = new ServerlessPgDataSource(target.ours(application, urlCredentials));
          dataSource.setUser(user);
          dataSource.setPassword(password);
          org.postgresql.ds.PGSimpleDataSource oracle = new org.postgresql.ds.PGSimpleDataSource();
          oracle.setUrl(target.pgjdbc(application, urlCredentials));
          oracle.setUser(user);
          oracle.setPassword(password);
          actual = CredentialsTest.outcome(dataSource::getConnection);
          expected = CredentialsTest.outcome(oracle::getConnection);
          break;
        }
        case "DriverManager, credentials in the URL": {
          ours = target.ours(application, urlCredentials);
          actual = CredentialsTest.outcome(() -> DriverManager.getConnection(ours, user, password));
          expected = CredentialsTest.outcome(() -> DriverManager.getConnection(
              target.pgjdbc(application, urlCredentials), user, password));
          break;
        }
        case "DriverManager, user info in the URL": {
          // Properties beat user info; the user info's password is kept only for its own user.
          ours = "jdbc:serverless-pg:postgresql://" + superuser + ":" + CredentialsTest.encode(postgres.password())
              + "@" + target.host() + ":" + target.port() + "/" + target.database() + "?mode=" + mode
              + "&application_name=" + application;
          Properties info = new Properties();
          info.setProperty("user", user);
          if (password != null) {
            info.setProperty("password", password);
          }
          String effective = password == null && user.equals(superuser) ? postgres.password() : password;
          actual = CredentialsTest.outcome(() -> DriverManager.getConnection(ours, info));
          expected = CredentialsTest.outcome(() -> DriverManager.getConnection(target.pgjdbc(application, ""),
              user, effective));
          break;
        }
        default: {
          ours = target.ours(application, "");
          actual = CredentialsTest.outcome(() -> DriverManager.getConnection(ours, user, password));
          expected = CredentialsTest.outcome(() -> DriverManager.getConnection(target.pgjdbc(application, ""), user,
              password));
        }
      }
    }
    assertThat(actual).as("%s in %s mode as %s with %s password", entryPoint, mode, user, passwordChoice)
        .isEqualTo(expected);
  }

  private static CredentialsTest.Target target(String mode) {
    PostgresServer postgres = environment.postgres();
    if (mode.equals("direct")) {
      return new CredentialsTest.Target(mode, postgres.host(), postgres.port(), postgres.database());
    }
    PgBouncerServer pooler = environment.pooler(mode.equals("transaction") ? PoolMode.TRANSACTION : PoolMode.SESSION);
    return new CredentialsTest.Target(mode, pooler.host(), pooler.port(), pooler.database());
  }

  @Provide
  Arbitrary<String> modes() {
    return Arbitraries.of("direct", "transaction", "session");
  }

  @Provide
  Arbitrary<String> entryPoints() {
    return Arbitraries.of("DataSource.getConnection(user, password)", "DataSource.setUser/setPassword",
        "DriverManager, credentials in the URL", "DriverManager, user info in the URL",
        "DriverManager, credentials as arguments");
  }

  @Provide
  Arbitrary<String> users() {
    return Arbitraries.of("superuser", CredentialsTest.OTHER, "app2");
  }

  @Provide
  Arbitrary<String> passwords() {
    return Arbitraries.oneOf(Arbitraries.of("right", "none"),
        Arbitraries.strings().alpha().numeric().withChars("?@:/ %").ofMinLength(1).ofMaxLength(12));
  }
}
