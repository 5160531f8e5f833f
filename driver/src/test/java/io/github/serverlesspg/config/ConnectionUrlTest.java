package io.github.serverlesspg.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.spi.Endpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
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
    assertThat(url.parameters())
        .containsEntry("user", "alice")
        .containsEntry("password", "p@ss+w/d")
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
    assertThat(url.parameters()).containsEntry("user", "bob");
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

  @Property
  void percentEncodedCredentialsRoundTrip(@ForAll("credentials") String user, @ForAll("credentials") String password,
      @ForAll("databases") String database) throws SQLException {
    String uri = "jdbc:serverless-pg:postgresql://" + encode(user) + ":" + encode(password) + "@host.example:6543/"
        + encode(database);
    ParsedUrl url = ConnectionUrl.parse(uri, NO_ENV);
    assertThat(url.parameters()).containsEntry("user", user).containsEntry("password", password);
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
