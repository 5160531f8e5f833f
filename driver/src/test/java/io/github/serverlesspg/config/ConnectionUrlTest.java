package io.github.serverlesspg.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.spi.Endpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ConnectionUrlTest {
  private static final Environment NO_ENV = Environment.of(Map.of());

  @Test
  void pgjdbcFormKeepsEveryParameterAndHost() throws SQLException {
    ParsedUrl url = ConnectionUrl.parse(
        "jdbc:serverless-pg://db1:5433,db2/app?user=alice&sslmode=require&reWriteBatchedInserts=true", NO_ENV);
    assertThat(url.endpoints()).containsExactly(new Endpoint("db1", 5433), new Endpoint("db2", 5432));
    assertThat(url.database()).isEqualTo("app");
    assertThat(url.parameters()).containsEntry("user", "alice").containsEntry("sslmode", "require")
        .containsEntry("reWriteBatchedInserts", "true");
    assertThat(url.environmentVariable()).isNull();
  }

  @Test
  void libpqUriIsDecodedAndTranslated() throws SQLException {
    ParsedUrl url = ConnectionUrl.parse("jdbc:serverless-pg:postgresql://alice:p%40ss+w%2Fd@"
        + "ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb?sslmode=require&connect_timeout=5"
        + "&application_name=shop&channel_binding=require&target_session_attrs=read-write", NO_ENV);
    assertThat(url.endpoints()).containsExactly(new Endpoint("ep-cool-darkness-123456.us-east-2.aws.neon.tech", 5432));
    assertThat(url.database()).isEqualTo("neondb");
    assertThat(url.userInfo()).containsEntry("user", "alice").containsEntry("password", "p@ss+w/d");
    assertThat(url.parameters())
        .containsEntry("sslmode", "require")
        .containsEntry("connectTimeout", "5")
        .containsEntry("ApplicationName", "shop")
        .containsEntry("channelBinding", "require")
        .containsEntry("targetServerType", "primary");
  }

  @Test
  void postgresSchemeAndPrismaParametersAreUnderstood() throws SQLException {
    ParsedUrl url = ConnectionUrl.parse("jdbc:serverless-pg:postgres://postgres.ref:secret@"
        + "aws-0-eu-central-1.pooler.supabase.com:6543/postgres?pgbouncer=true&connection_limit=3&pool_timeout=7"
        + "&schema=shop", NO_ENV);
    assertThat(url.endpoints()).containsExactly(new Endpoint("aws-0-eu-central-1.pooler.supabase.com", 6543));
    assertThat(url.parameters())
        .containsEntry("pgbouncer", "true")
        .containsEntry("maxConnections", "3")
        .containsEntry("acquireTimeout", "7000")
        .containsEntry("currentSchema", "shop");
  }

  @Test
  void envFormReadsTheVariable() throws SQLException {
    Environment env = Environment.of(Map.of("DATABASE_URL", "postgresql://bob:pw@localhost:6543/app"));
    ParsedUrl url = ConnectionUrl.parse("jdbc:serverless-pg:env:DATABASE_URL", env);
    assertThat(url.environmentVariable()).isEqualTo("DATABASE_URL");
    assertThat(url.endpoints()).containsExactly(new Endpoint("localhost", 6543));
    assertThat(url.userInfo()).containsEntry("user", "bob");
  }

  @Test
  void envFormAcceptsAJdbcUrlToo() throws SQLException {
    Environment env = Environment.of(Map.of("DB", "jdbc:serverless-pg://h:7/d?mode=direct"));
    ParsedUrl url = ConnectionUrl.parse("jdbc:serverless-pg:env:DB", env);
    assertThat(url.endpoints()).containsExactly(new Endpoint("h", 7));
    assertThat(url.parameters()).containsEntry("mode", "direct");
  }

  @Test
  void unsetVariableIsAClearConnectionError() {
    assertThatThrownBy(() -> ConnectionUrl.parse("jdbc:serverless-pg:env:DATABASE_URL", NO_ENV))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Environment variable DATABASE_URL is not set")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
  }

  @Test
  void unknownFormsAndBadPortsAreRejectedWith08001() {
    assertThatThrownBy(() -> ConnectionUrl.parse("jdbc:serverless-pg:mysql://h/d", NO_ENV))
        .hasMessageContaining("Unrecognized connection string")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    assertThatThrownBy(() -> ConnectionUrl.parse("jdbc:serverless-pg:postgresql://u:pw@h:99999/d", NO_ENV))
        .hasMessageContaining("port")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    assertThatThrownBy(() -> ConnectionUrl.parse("jdbc:serverless-pg:postgresql://u:pw@/d", NO_ENV))
        .hasMessageContaining("names no host");
  }

  @Test
  void ipv6HostsKeepTheirBrackets() throws SQLException {
    ParsedUrl url = ConnectionUrl.parse("jdbc:serverless-pg:postgresql://u@[::1]:6543/d", NO_ENV);
    assertThat(url.endpoints()).containsExactly(new Endpoint("::1", 6543));
    assertThat(url.endpoints().get(0).toString()).isEqualTo("[::1]:6543");
  }

  @Test
  void toStringMasksThePassword() throws SQLException {
    ParsedUrl url = ConnectionUrl.parse("jdbc:serverless-pg:postgresql://u:hunter2@h/d", NO_ENV);
    assertThat(url.toString()).doesNotContain("hunter2").contains("***");
  }

  @Test
  void userInfoEndsAtTheLastAtSignBeforeThePath() throws SQLException {
    ParsedUrl question = ConnectionUrl.parse("jdbc:serverless-pg:postgresql://user:Secret42?x@host/db", NO_ENV);
    assertThat(question.userInfo()).containsEntry("user", "user").containsEntry("password", "Secret42?x");
    assertThat(question.endpoints()).containsExactly(new Endpoint("host", 5432));
    assertThat(question.database()).isEqualTo("db");
    ParsedUrl at = ConnectionUrl.parse("jdbc:serverless-pg:postgresql://user:p@ss@host:6543/db?sslmode=require",
        NO_ENV);
    assertThat(at.userInfo()).containsEntry("password", "p@ss");
    assertThat(at.endpoints()).containsExactly(new Endpoint("host", 6543));
    assertThat(at.parameters()).containsEntry("sslmode", "require");
    ParsedUrl noPath = ConnectionUrl.parse("jdbc:serverless-pg:postgresql://user:a?b@c@host?sslmode=require"
        + "&application_name=me@example", NO_ENV);
    assertThat(noPath.userInfo()).containsEntry("password", "a?b@c");
    assertThat(noPath.endpoints()).containsExactly(new Endpoint("host", 5432));
    assertThat(noPath.parameters()).containsEntry("ApplicationName", "me@example");
    ParsedUrl atInQuery = ConnectionUrl.parse("jdbc:serverless-pg:postgresql://host/db?application_name=me@example",
        NO_ENV);
    assertThat(atInQuery.userInfo()).isEmpty();
    assertThat(atInQuery.endpoints()).containsExactly(new Endpoint("host", 5432));
  }

  @Test
  void malformedAddressesNeverQuoteWhatMayBeAPassword() {
    // An unencoded '/' in the password: the text before it is taken for the host, as in libpq.
    for (String url : List.of("jdbc:serverless-pg:postgresql://user:Secret42/x@host/db",
        "jdbc:serverless-pg:postgresql://user:Secret42:9@host:x/db", "jdbc:serverless-pg://user:Secret42@host/db",
        "jdbc:serverless-pg:postgres://u:Secret42@h:99999/d")) {
      assertThatThrownBy(() -> ConnectionUrl.parse(url, NO_ENV))
          .isInstanceOf(SQLException.class)
          .hasMessageNotContaining("Secret42")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }
  }

  @Test
  void envErrorsQuoteTheUrlMasked() {
    assertThatThrownBy(() -> ConnectionUrl.parse("jdbc:serverless-pg:env:1BAD?password=Secret42&user=u", NO_ENV))
        .hasMessageContaining("does not name an environment variable")
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("Secret42");
    assertThatThrownBy(() -> ConnectionUrl.parse("jdbc:serverless-pg:env:UNSET_VAR?user=u&password=Secret42", NO_ENV))
        .hasMessageContaining("UNSET_VAR is not set")
        .hasMessageNotContaining("Secret42");
  }

  @Test
  void maskedUrlsHideEveryPasswordForm() {
    assertThat(Secrets.maskUrl("jdbc:serverless-pg:postgresql://user:Secret42?x@host/db?sslmode=require"))
        .isEqualTo("jdbc:serverless-pg:postgresql://user:***@host/db?sslmode=require");
    assertThat(Secrets.maskUrl("jdbc:serverless-pg://h/db?user=u&password=Secret42&sslpassword=Other1"))
        .isEqualTo("jdbc:serverless-pg://h/db?user=u&password=***&sslpassword=***");
    assertThat(Secrets.maskUrl("jdbc:serverless-pg:postgresql://user:Secret42/x@host/db"))
        .doesNotContain("Secret42");
    assertThat(Secrets.maskUrl("jdbc:serverless-pg:postgresql://us/er:Secret42@host/db"))
        .doesNotContain("Secret42");
  }

  @Property
  void maskedUrlsNeverContainTheUserInfoPassword(@ForAll("credentials") String user,
      @ForAll("credentials") String password, @ForAll("badTails") String tail) {
    String marker = "Mk" + password + "9z";
    for (String url : List.of("jdbc:serverless-pg:postgresql://" + user + ":" + marker + tail,
        "jdbc:serverless-pg:postgresql://" + encode(user) + ":" + encode(marker) + tail,
        "jdbc:serverless-pg://h/d?password=" + encode(marker) + "&" + user)) {
      assertThat(Secrets.maskUrl(url)).doesNotContain(marker).doesNotContain(encode(marker));
    }
  }

  @Property
  void secretParametersOfPgjdbcUrlsDecodeAsPgjdbcDecodesThem(@ForAll("credentials") String password,
      @ForAll boolean encoded) throws SQLException {
    String value = encoded ? encode(password) : password.replace("&", "").replace("%", "");
    String tail = "//h:5433/db?user=u&password=" + value + "&sslpassword=" + value + "&ApplicationName=a";
    java.util.Properties pgjdbc = org.postgresql.Driver.parseURL("jdbc:postgresql:" + tail, new java.util.Properties());
    ParsedUrl ours = ConnectionUrl.parse("jdbc:serverless-pg:" + tail, NO_ENV);
    assertThat(ours.parameters()).containsEntry("password", pgjdbc.getProperty("password"))
        .containsEntry("sslpassword", pgjdbc.getProperty("sslpassword")).containsEntry("ApplicationName", "a");
  }

  /** pgjdbc logs malformed URLs whole through java.util.logging: it must never be handed a secret to log. */
  @Test
  void pgjdbcNeverLogsASecretOfAMalformedUrl() {
    String marker = "Mk7Secret9Zq";
    java.util.logging.Logger pgjdbcLogger = java.util.logging.Logger.getLogger("org.postgresql");
    List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        logged.add(new java.util.logging.SimpleFormatter().formatMessage(record));
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    pgjdbcLogger.addHandler(capture);
    try {
      for (String url : List.of("jdbc:serverless-pg://host?password=" + marker,
          "jdbc:serverless-pg://u:" + marker + "@host/db", "jdbc:serverless-pg://u:" + marker + "/x@host/db",
          "jdbc:serverless-pg://h:x/db?password=" + marker, "jdbc:serverless-pg://h/db?password=%zz" + marker,
          "jdbc:serverless-pg:/h/db?password=" + marker + "&sslpassword=" + marker)) {
        try {
          ConnectionUrl.parse(url, NO_ENV);
        } catch (SQLException e) {
          assertThat(e.getMessage()).doesNotContain(marker);
        }
      }
    } finally {
      pgjdbcLogger.removeHandler(capture);
    }
    assertThat(String.join("\n", logged)).doesNotContain(marker);
  }

  @Property
  void percentEncodedCredentialsRoundTrip(@ForAll("credentials") String user, @ForAll("credentials") String password,
      @ForAll("databases") String database) throws SQLException {
    String uri = "jdbc:serverless-pg:postgresql://" + encode(user) + ":" + encode(password) + "@host.example:6543/"
        + encode(database);
    ParsedUrl url = ConnectionUrl.parse(uri, NO_ENV);
    assertThat(url.userInfo()).containsEntry("user", user).containsEntry("password", password);
    assertThat(url.database()).isEqualTo(database);
    assertThat(url.endpoints()).containsExactly(new Endpoint("host.example", 6543));
  }

  @Property
  void errorsNeverQuoteThePassword(@ForAll("credentials") String password, @ForAll("badTails") String badTail) {
    String uri = "jdbc:serverless-pg:postgresql://user:" + encode(password) + badTail;
    try {
      ConnectionUrl.parse(uri, NO_ENV);
    } catch (SQLException e) {
      if (password.length() >= 4) {
        assertThat(e.getMessage()).doesNotContain(password).doesNotContain(encode(password));
      }
      assertThat(e.getSQLState()).isEqualTo("08001");
    }
  }

  @Property
  void anyTextAfterThePrefixYieldsAParsedUrlOrAnSqlException(@ForAll String rest) {
    try {
      ConnectionUrl.parse(ServerlessPgProperty.URL_PREFIX + rest, NO_ENV);
    } catch (SQLException expected) {
      assertThat(expected.getSQLState()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> credentials() {
    return Arbitraries.strings().ofMinLength(1).ofMaxLength(24)
        .withChars("abcXYZ019@:/?#[]%+&=! '\"$\\é");
  }

  @Provide
  Arbitrary<String> databases() {
    return Arbitraries.strings().ofMinLength(1).ofMaxLength(16).withChars("abc_-09é ?");
  }

  @Provide
  Arbitrary<String> badTails() {
    return Arbitraries.of("@h:0/d", "@h:x/d", "@/d", "@[::1/d", "@h:70000/d", "@h/d%zz", "@h,/d");
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
