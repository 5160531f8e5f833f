package io.github.serverlesspg.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.spi.CredentialProvider;
import io.github.serverlesspg.spi.CredentialRequest;
import io.github.serverlesspg.spi.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credential providers as the planner resolves them: asked at connect time, keyed by identity, never by token. */
class CredentialProviderTest {
  private static final Environment NO_ENV = Environment.of(Map.of());
  private final ConnectionPlanner planner = new ConnectionPlanner(new Extensions(List.of(), List.of()),
      new UnknownPropertyReporter());

  @TempDir
  Path directory;

  @Test
  void fileProviderReadsTheFileOnEveryConnect() throws Exception {
    Path secret = directory.resolve("password");
    Files.writeString(secret, "first\n");
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://db.example.com/app?user=app&password=in-url"
        + "&credentialProvider=file&credentialSource=" + secret, null, NO_ENV);
    assertThat(plan.pgjdbcProperties()).doesNotContainKey("password");
    assertThat(plan.credentialSource().password()).isEqualTo("first");
    Files.writeString(secret, "second\r\n");
    assertThat(plan.credentialSource().password()).isEqualTo("second");
    assertThat(plan.explain()).contains("password: from credential provider file (" + secret + ")")
        .doesNotContain("second").doesNotContain("in-url");
  }

  @Test
  void unreadableOrEmptyFilesAreClearConnectionErrors() throws Exception {
    ConnectionPlan missing = planner.plan("jdbc:serverless-pg://h/app?user=app&credentialProvider=file"
        + "&credentialSource=" + directory.resolve("absent"), null, NO_ENV);
    assertThatThrownBy(() -> missing.credentialSource().password()).isInstanceOf(SQLException.class)
        .hasMessageContaining("Cannot read the password file").hasMessageContaining("absent")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    Path empty = Files.writeString(directory.resolve("empty"), "\n");
    ConnectionPlan blank = planner.plan("jdbc:serverless-pg://h/app?user=app&credentialProvider=file"
        + "&credentialSource=" + empty, null, NO_ENV);
    assertThatThrownBy(() -> blank.credentialSource().password()).hasMessageContaining("is empty");
    ConnectionPlan noSource = planner.plan("jdbc:serverless-pg://h/app?user=app&credentialProvider=file", null,
        NO_ENV);
    assertThatThrownBy(() -> noSource.credentialSource().password()).hasMessageContaining("credentialSource=PATH")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22023");
  }

  @Test
  void envProviderReadsTheVariable() throws SQLException {
    Environment environment = Environment.of(Map.of("DB_PASSWORD", "from-env"));
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://h/app?user=app&credentialProvider=env"
        + "&credentialSource=DB_PASSWORD", null, environment);
    assertThat(plan.credentialSource().password()).isEqualTo("from-env");
    ConnectionPlan unset = planner.plan("jdbc:serverless-pg://h/app?user=app&credentialProvider=env"
        + "&credentialSource=OTHER", null, environment);
    assertThatThrownBy(() -> unset.credentialSource().password()).hasMessageContaining("OTHER")
        .hasMessageContaining("not set");
  }

  @Test
  void keysFollowTheProviderNeverThePassword() throws Exception {
    Path secret = directory.resolve("password");
    Files.writeString(secret, "first");
    String url = "jdbc:serverless-pg://h/app?user=app&credentialProvider=file&credentialSource=" + secret;
    PoolKey before = planner.plan(url, null, NO_ENV).cacheKey();
    Files.writeString(secret, "rotated");
    assertThat(planner.plan(url, null, NO_ENV).cacheKey()).isEqualTo(before);
    Properties staleUrlPassword = new Properties();
    staleUrlPassword.setProperty("password", "ignored");
    assertThat(planner.plan(url, staleUrlPassword, NO_ENV).cacheKey()).isEqualTo(before);
    assertThat(planner.plan(url.replace("password", "other"), null, NO_ENV).cacheKey()).isNotEqualTo(before);
    assertThat(planner.plan(url.replace("user=app", "user=other"), null, NO_ENV).cacheKey()).isNotEqualTo(before);
    assertThat(planner.plan("jdbc:serverless-pg://h/app?user=app&password=first", null, NO_ENV).cacheKey())
        .isNotEqualTo(before);
    assertThat(before.toString()).contains("provider file").doesNotContain("first");
  }

  @Test
  void anExplicitPasswordWinsOverTheProviderAndTheProviderOverTheUrl() throws SQLException {
    Recording provider = new Recording();
    String url = "jdbc:serverless-pg://h/app?user=app&password=in-url";
    ConnectionPlan fromProvider = planner.plan(url, null,
        ExplicitCredentials.overriding(null, false, null, false).withProvider(provider), NO_ENV);
    assertThat(fromProvider.pgjdbcProperties()).doesNotContainKey("password");
    assertThat(fromProvider.credentialSource().password()).isEqualTo("token-for-app@h:5432");
    ConnectionPlan explicit = planner.plan(url, null,
        ExplicitCredentials.replacing("app", "given").withProvider(provider), NO_ENV);
    assertThat(explicit.credentialSource()).isNull();
    assertThat(explicit.pgjdbcProperties()).containsEntry("password", "given");
    ConnectionPlan providerForOtherUser = planner.plan(url, null,
        ExplicitCredentials.replacing("other", null).withProvider(provider), NO_ENV);
    assertThat(providerForOtherUser.credentialSource().password()).isEqualTo("token-for-other@h:5432");
  }

  @Test
  void providersAreFoundByClassNameOnceAndUnknownNamesListTheChoices() throws SQLException {
    String url = "jdbc:serverless-pg://h/app?user=app&credentialProvider=" + Recording.class.getName();
    ConnectionPlan first = planner.plan(url, null, NO_ENV);
    ConnectionPlan second = planner.plan(url + "&ApplicationName=x", null, NO_ENV);
    assertThat(first.credentialSource().password()).isEqualTo("token-for-app@h:5432");
    assertThat(first.cacheKey().credential()).isEqualTo(second.cacheKey().credential());
    assertThatThrownBy(() -> planner.plan("jdbc:serverless-pg://h/app?credentialProvider=vault", null, NO_ENV))
        .hasMessageContaining("Unknown credentialProvider 'vault'").hasMessageContaining("file, env")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22023");
    assertThatThrownBy(() -> planner.plan("jdbc:serverless-pg://h/app?credentialProvider=java.lang.String", null,
        NO_ENV)).hasMessageContaining("does not implement");
  }

  @Test
  void authenticationFailuresAreRecognizedFromPostgresqlAndPgBouncer() {
    assertThat(CredentialSource.isAuthenticationFailure(new SQLException("password authentication failed", "28P01")))
        .isTrue();
    assertThat(CredentialSource.isAuthenticationFailure(new SQLException("no pg_hba.conf entry", "28000"))).isTrue();
    assertThat(CredentialSource.isAuthenticationFailure(
        new SQLException("FATAL: SASL authentication failed", "08P01"))).isTrue();
    assertThat(CredentialSource.isAuthenticationFailure(new SQLException("Connection refused", "08001"))).isFalse();
    assertThat(CredentialSource.isAuthenticationFailure(new SQLException("protocol violation", "08P01"))).isFalse();
  }

  /** A stand-in for a token provider: the "token" names the user and endpoint it was made for. */
  public static final class Recording implements CredentialProvider {
    @Override
    public String name() {
      return "recording";
    }

    @Override
    public String password(CredentialRequest request) {
      Endpoint endpoint = request.endpoint();
      return "token-for-" + request.user() + "@" + endpoint;
    }
  }
}
