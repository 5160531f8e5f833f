package io.github.serverlesspg.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import io.github.serverlesspg.spi.PlatformDetector;
import io.github.serverlesspg.spi.PoolerProvider;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The planner's rules, with a stand-in provider ("example": hosts {@code *.db.example}, transaction pooler on port
 * 6543) and detector ("test-cloud": {@code TEST_CLOUD=1}) so that the rules are tested apart from the built-ins.
 */
class ConnectionPlannerTest {
  private static final Environment NO_ENV = Environment.of(Map.of());
  static final ProbeVerdict SERVER = new ProbeVerdict(ProbeVerdict.Kind.SERVER, "test");
  static final ProbeVerdict POOLER = new ProbeVerdict(ProbeVerdict.Kind.POOLER, "test");
  private final ConnectionPlanner planner = new ConnectionPlanner(
      new Extensions(List.of(new ExampleProvider()), List.of(new TestCloudDetector())), new UnknownPropertyReporter(),
      ProbeVerdicts.isolated());

  @Test
  void plainLocalUrlIsProbedAndUntouchedWhenItIsPostgres() throws SQLException {
    ConnectionPlan pending = planner.plan("jdbc:serverless-pg://localhost:5432/app?user=u", new Properties(), NO_ENV);
    assertThat(pending.awaitsProbe()).isTrue();
    assertThat(pending.pgjdbcUrl()).endsWith("?prepareThreshold=0");
    ConnectionPlan plan = pending.resolve(SERVER);
    assertThat(plan.mode()).isEqualTo(ConnectionMode.DIRECT);
    assertThat(plan.cacheKey()).isEqualTo(pending.cacheKey());
    assertThat(plan.pgjdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/app");
    assertThat(plan.serverPrepare()).isTrue();
    assertThat(plan.pool().maxConnections()).isEqualTo(10);
    assertThat(plan.pgjdbcProperties()).doesNotContainKey("assumeMinServerVersion");
  }

  @Test
  void transactionModeForcesPrepareThresholdZeroInTheUrl() throws SQLException {
    Properties info = new Properties();
    info.setProperty("prepareThreshold", "5");
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://localhost/app?mode=transaction", info, NO_ENV);
    assertThat(plan.mode()).isEqualTo(ConnectionMode.TRANSACTION);
    assertThat(plan.pgjdbcUrl()).endsWith("?prepareThreshold=0");
    assertThat(plan.pgjdbcProperties()).containsEntry("assumeMinServerVersion", "9.4");
  }

  @Test
  void serverPrepareOnKeepsNamedStatements() throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://localhost/app?mode=transaction&serverPrepare=on",
        new Properties(), NO_ENV);
    assertThat(plan.pgjdbcUrl()).doesNotContain("prepareThreshold");
  }

  @Test
  void autoModeDetectsPlatformEnvironmentAndPoolers() throws SQLException {
    assertThat(planner.plan("jdbc:serverless-pg://localhost/app", null, Environment.of(Map.of("TEST_CLOUD", "1")))
        .modeReason()).contains("test-cloud (from TEST_CLOUD=1)");
    assertThat(planner.plan("jdbc:serverless-pg://localhost/app", null,
        Environment.of(Map.of("USE_TRANSACTION_MODE", "true"))).mode()).isEqualTo(ConnectionMode.TRANSACTION);
    assertThat(planner.plan("jdbc:serverless-pg://x.db.example:6543/app", null, NO_ENV).mode())
        .isEqualTo(ConnectionMode.TRANSACTION);
    assertThat(planner.plan("jdbc:serverless-pg:postgresql://u@localhost/app?pgbouncer=true", null, NO_ENV).mode())
        .isEqualTo(ConnectionMode.TRANSACTION);
    assertThat(planner.plan("jdbc:serverless-pg://localhost/app?pooler=127.0.0.1:6432", null, NO_ENV)
        .endpoints()).containsExactly(new Endpoint("127.0.0.1", 6432));
  }

  @Test
  void explicitModeBeatsDetection() throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://x.db.example:6543/app?mode=session", null,
        Environment.of(Map.of("TEST_CLOUD", "1")));
    assertThat(plan.mode()).isEqualTo(ConnectionMode.SESSION);
    assertThat(plan.endpoints()).containsExactly(new Endpoint("x.db.example", 5432));
  }

  @Test
  void providerRoutesTheEndpointForTheMode() throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://x.db.example/app?mode=transaction", null, NO_ENV);
    assertThat(plan.provider()).isEqualTo("example");
    assertThat(plan.endpoints()).containsExactly(new Endpoint("x.db.example", 6543));
    assertThat(plan.pgjdbcUrl()).startsWith("jdbc:postgresql://x.db.example:6543/app");
  }

  @Test
  void multiHostUrlsAreNeverHalfRewritten() {
    assertThatThrownBy(() -> planner.plan("jdbc:serverless-pg://x.db.example,y.db.example/app?mode=transaction",
        null, NO_ENV)).isInstanceOf(SQLException.class).hasMessageContaining("2 hosts")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
  }

  @Test
  void urlBeatsPropertiesBeatsEnvironmentBeatsPlatformBeatsDefaults() throws SQLException {
    Environment env = Environment.of(Map.of("TEST_CLOUD", "1", "MAX_POOL_SIZE", "100", "INSTANCE_COUNT", "10"));
    Properties info = new Properties();
    info.setProperty("maxConnections", "4");
    assertThat(planner.plan("jdbc:serverless-pg://h/app?maxConnections=2", info, env).pool().maxConnections())
        .isEqualTo(2);
    assertThat(planner.plan("jdbc:serverless-pg://h/app", info, env).pool().maxConnections()).isEqualTo(4);
    assertThat(planner.plan("jdbc:serverless-pg://h/app", null, env).pool().maxConnections()).isEqualTo(10);
    assertThat(planner.plan("jdbc:serverless-pg://h/app", null, Environment.of(Map.of("TEST_CLOUD", "1")))
        .pool().maxConnections()).isEqualTo(1);
    assertThat(planner.plan("jdbc:serverless-pg://h/app", null, Environment.of(Map.of("MAX_POOL_SIZE", "3",
        "INSTANCE_COUNT", "10"))).pool().maxConnections()).isEqualTo(1);
  }

  @Test
  void prismaConnectionLimitSetsMaxConnections() throws SQLException {
    assertThat(planner.plan("jdbc:serverless-pg:postgresql://u:p@h/app?connection_limit=3", null, NO_ENV)
        .pool().maxConnections()).isEqualTo(3);
  }

  @Test
  void envUrlUsesTheDirectVariantForDirectMode() throws SQLException {
    Environment env = Environment.of(Map.of(
        "DATABASE_URL", "postgresql://u:p@x.db.example:6543/app",
        "DATABASE_URL_DIRECT", "postgresql://u:p@direct.db.example:5432/app"));
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg:env:DATABASE_URL", null, env);
    assertThat(plan.mode()).isEqualTo(ConnectionMode.TRANSACTION);
    ConnectionPlan viaUrl = planner.plan("jdbc:serverless-pg:env:DATABASE_URL?mode=direct", null, env);
    assertThat(viaUrl.configuredEndpoints()).containsExactly(new Endpoint("direct.db.example", 5432));
    assertThat(viaUrl.mode()).isEqualTo(ConnectionMode.DIRECT);
    Properties direct = new Properties();
    direct.setProperty("mode", "direct");
    ConnectionPlan directPlan = planner.plan("jdbc:serverless-pg:env:DATABASE_URL", direct, env);
    assertThat(directPlan.configuredEndpoints()).containsExactly(new Endpoint("direct.db.example", 5432));
    assertThat(directPlan.mode()).isEqualTo(ConnectionMode.DIRECT);
  }

  @Test
  void envUrlParametersApplyToTheVariableTheModeSelects() throws SQLException {
    Environment env = Environment.of(Map.of(
        "DATABASE_URL", "postgresql://u:p@x.db.example:6543/app?pgbouncer=true",
        "DATABASE_URL_SESSION", "postgresql://u:p@session.db.example:5432/app?ApplicationName=fromvar",
        "DATABASE_URL_DIRECT", "postgresql://u:p@direct.db.example:5432/app"));
    ConnectionPlan session = planner.plan(
        "jdbc:serverless-pg:env:DATABASE_URL?mode=session&maxConnections=3&ApplicationName=mine&sslmode=require",
        null, env);
    assertThat(session.mode()).isEqualTo(ConnectionMode.SESSION);
    assertThat(session.configuredEndpoints()).containsExactly(new Endpoint("session.db.example", 5432));
    assertThat(session.pool().maxConnections()).isEqualTo(3);
    assertThat(session.pgjdbcProperties()).containsEntry("ApplicationName", "mine").containsEntry("sslmode", "require");
    ConnectionPlan direct = planner.plan("jdbc:serverless-pg:env:DATABASE_URL?mode=direct&sslmode=verify-full",
        null, env);
    assertThat(direct.mode()).isEqualTo(ConnectionMode.DIRECT);
    assertThat(direct.configuredEndpoints()).containsExactly(new Endpoint("direct.db.example", 5432));
    assertThat(direct.pgjdbcProperties()).containsEntry("sslmode", "verify-full");
    ConnectionPlan pooled = planner.plan("jdbc:serverless-pg:env:DATABASE_URL?maxConnections=2", null, env);
    assertThat(pooled.mode()).isEqualTo(ConnectionMode.TRANSACTION);
    assertThat(pooled.pool().maxConnections()).isEqualTo(2);
  }

  @Test
  void envUrlWithoutTheVariableForTheModeFailsInsteadOfUsingThePooler() {
    Environment env = Environment.of(Map.of("DATABASE_URL", "postgresql://u:s3cr3t@x.db.example:6543/app?pgbouncer=true"));
    for (String mode : List.of("direct", "session")) {
      String variable = "DATABASE_URL_" + mode.toUpperCase(java.util.Locale.ROOT);
      assertThatThrownBy(() -> planner.plan("jdbc:serverless-pg:env:DATABASE_URL?mode=" + mode
          + "&password=s3cr3t", null, env))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining(variable + " is not set")
          .hasMessageContaining("mode=" + mode)
          .hasMessageNotContaining("s3cr3t")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
      Properties viaProperties = new Properties();
      viaProperties.setProperty("mode", mode);
      assertThatThrownBy(() -> planner.plan("jdbc:serverless-pg:env:DATABASE_URL", viaProperties, env))
          .hasMessageContaining(variable + " is not set");
    }
  }

  @Test
  void modeInsideTheVariableDescribesThatUrlAndSelectsNoOtherVariable() throws SQLException {
    Environment env = Environment.of(Map.of("LOCAL_DB", "postgresql://u:p@localhost:5432/app?mode=direct"));
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg:env:LOCAL_DB", null, env);
    assertThat(plan.mode()).isEqualTo(ConnectionMode.DIRECT);
    assertThat(plan.configuredEndpoints()).containsExactly(new Endpoint("localhost", 5432));
  }

  @Test
  void urlParametersBeatPropertiesAsInPgjdbcButPropertiesBeatUserInfo() throws SQLException {
    Properties app2 = new Properties();
    app2.setProperty("user", "app2");
    app2.setProperty("password", "app2-secret");
    // pgjdbc: URL arguments override Properties.
    ConnectionPlan query = planner.plan("jdbc:serverless-pg://h/app?user=postgres&password=pg-secret", app2, NO_ENV);
    assertThat(query.user()).isEqualTo("postgres");
    assertThat(query.pgjdbcProperties()).containsEntry("password", "pg-secret");
    // User info is not a pgjdbc URL argument: explicit properties override it.
    ConnectionPlan userInfo = planner.plan("jdbc:serverless-pg:postgresql://postgres:pg-secret@h/app", app2, NO_ENV);
    assertThat(userInfo.user()).isEqualTo("app2");
    assertThat(userInfo.pgjdbcProperties()).containsEntry("password", "app2-secret");
    // Another user named in the properties never gets the user info's password.
    Properties userOnly = new Properties();
    userOnly.setProperty("user", "app2");
    ConnectionPlan otherUser = planner.plan("jdbc:serverless-pg:postgresql://postgres:pg-secret@h/app", userOnly,
        NO_ENV);
    assertThat(otherUser.user()).isEqualTo("app2");
    assertThat(otherUser.pgjdbcProperties()).doesNotContainKey("password");
    Properties passwordOnly = new Properties();
    passwordOnly.setProperty("password", "new-secret");
    ConnectionPlan samePerson = planner.plan("jdbc:serverless-pg:postgresql://postgres:pg-secret@h/app",
        passwordOnly, NO_ENV);
    assertThat(samePerson.user()).isEqualTo("postgres");
    assertThat(samePerson.pgjdbcProperties()).containsEntry("password", "new-secret");
  }

  @Test
  void dataSourceCredentialsBeatTheUrlAsInPgSimpleDataSource() throws SQLException {
    String url = "jdbc:serverless-pg://h/app?user=postgres&password=pg-secret";
    ConnectionPlan replaced = planner.plan(url, null, ExplicitCredentials.replacing("app2", "wrong"), NO_ENV);
    assertThat(replaced.user()).isEqualTo("app2");
    assertThat(replaced.pgjdbcProperties()).containsEntry("password", "wrong");
    ConnectionPlan noPassword = planner.plan(url, null, ExplicitCredentials.replacing("postgres", null), NO_ENV);
    assertThat(noPassword.pgjdbcProperties()).doesNotContainKey("password");
    ConnectionPlan userSet = planner.plan(url, null, ExplicitCredentials.overriding("app2", true, null, false), NO_ENV);
    assertThat(userSet.user()).isEqualTo("app2");
    assertThat(userSet.pgjdbcProperties()).containsEntry("password", "pg-secret");
    assertThat(replaced.cacheKey()).isNotEqualTo(planner.plan(url, null, NO_ENV).cacheKey());
  }

  @Test
  void valuesThatImitateOtherSettingsNeverShareAKey() throws SQLException {
    Properties imitation = new Properties();
    imitation.setProperty("ApplicationName", "app|sslmode=verify-full");
    Properties real = new Properties();
    real.setProperty("ApplicationName", "app");
    real.setProperty("sslmode", "verify-full");
    PoolKey imitating = planner.plan("jdbc:serverless-pg://h/db", imitation, NO_ENV).cacheKey();
    PoolKey verifying = planner.plan("jdbc:serverless-pg://h/db", real, NO_ENV).cacheKey();
    assertThat(imitating).isNotEqualTo(verifying);
    Properties prefer = new Properties();
    prefer.setProperty("ApplicationName", "app");
    prefer.setProperty("sslmode", "prefer");
    assertThat(planner.plan("jdbc:serverless-pg://h/db", prefer, NO_ENV).cacheKey()).isNotEqualTo(verifying);
    // Secrets: "a" + "bc" and "ab" + "c" are different credentials.
    Properties split1 = new Properties();
    split1.setProperty("password", "a");
    split1.setProperty("sslpassword", "bc");
    Properties split2 = new Properties();
    split2.setProperty("password", "ab");
    split2.setProperty("sslpassword", "c");
    assertThat(planner.plan("jdbc:serverless-pg://h/db", split1, NO_ENV).cacheKey())
        .isNotEqualTo(planner.plan("jdbc:serverless-pg://h/db", split2, NO_ENV).cacheKey());
  }

  @Test
  void currentSchemaAndOptionsAreNeverSentToATransactionPooler() throws SQLException {
    ConnectionPlan plan = planner.plan(
        "jdbc:serverless-pg://h/app?mode=transaction&currentSchema=shop", null, NO_ENV);
    assertThat(plan.pgjdbcProperties()).doesNotContainKey("currentSchema");
    assertThat(plan.initialSchema()).isEqualTo("shop");
    ConnectionPlan fromOptions = planner.plan(
        "jdbc:serverless-pg://h/app?mode=transaction&options=-c%20search_path%3Dbilling", null, NO_ENV);
    assertThat(fromOptions.pgjdbcProperties()).doesNotContainKey("options");
    assertThat(fromOptions.initialSchema()).isEqualTo("billing");
    assertThatThrownBy(() -> planner.plan("jdbc:serverless-pg://h/app?mode=transaction&options=-c%20work_mem%3D1MB",
        null, NO_ENV)).hasMessageContaining("work_mem")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
  }

  @Test
  void sessionModeAppliesTheSchemaAfterConnecting() throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://h/app?mode=session&currentSchema=shop", null, NO_ENV);
    assertThat(plan.pgjdbcProperties()).doesNotContainKey("currentSchema");
    assertThat(plan.initialSchema()).isEqualTo("shop");
  }

  @Test
  void directModePassesEverythingThrough() throws SQLException {
    ConnectionPlan plan = planner.plan(
        "jdbc:serverless-pg://h/app?mode=direct&currentSchema=shop&options=-c%20work_mem%3D1MB", null, NO_ENV);
    assertThat(plan.pgjdbcProperties()).containsEntry("currentSchema", "shop")
        .containsEntry("options", "-c work_mem=1MB");
    assertThat(plan.initialSchema()).isNull();
  }

  @Test
  void readOnlyModeAlwaysBecomesPerTransaction() throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://h/app?mode=transaction&readOnlyMode=always", null,
        NO_ENV);
    assertThat(plan.pgjdbcProperties()).containsEntry("readOnlyMode", "transaction");
  }

  @Test
  void invalidValuesNameThePropertyTheValueAndTheChoices() {
    assertThatThrownBy(() -> planner.plan("jdbc:serverless-pg://h/app?mode=pooled", null, NO_ENV))
        .hasMessageContaining("'pooled'").hasMessageContaining("'mode'")
        .hasMessageContaining("auto, transaction, session, direct")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22023");
    assertThatThrownBy(() -> planner.plan("jdbc:serverless-pg://h/app?maxConnections=0", null, NO_ENV))
        .hasMessageContaining("maxConnections");
    assertThatThrownBy(() -> planner.plan("jdbc:serverless-pg://h/app?pooler=h:x", null, NO_ENV))
        .hasMessageContaining("pooler");
    assertThatThrownBy(() -> planner.plan("jdbc:serverless-pg://h/app?platform=mars", null, NO_ENV))
        .hasMessageContaining("test-cloud");
    assertThatThrownBy(() -> planner.plan("jdbc:serverless-pg://h/app", null,
        Environment.of(Map.of("MAX_POOL_SIZE", "lots")))).hasMessageContaining("MAX_POOL_SIZE");
  }

  @Test
  void differentCredentialsNeverShareACacheKey() throws SQLException {
    Properties a = new Properties();
    a.setProperty("user", "u");
    a.setProperty("password", "right");
    Properties b = new Properties();
    b.setProperty("user", "u");
    b.setProperty("password", "wrong");
    PoolKey keyA = planner.plan("jdbc:serverless-pg://h/app", a, NO_ENV).cacheKey();
    PoolKey keyB = planner.plan("jdbc:serverless-pg://h/app", b, NO_ENV).cacheKey();
    assertThat(keyA).isNotEqualTo(keyB);
    assertThat(keyA.toString()).doesNotContain("right");
    assertThat(keyB.toString()).doesNotContain("wrong");
    assertThat(planner.plan("jdbc:serverless-pg://h/app", a, NO_ENV).cacheKey()).isEqualTo(keyA);
  }

  @Test
  void explainNeverShowsThePassword() throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg:postgresql://u:s3cr3t-pw@x.db.example/app", null,
        Environment.of(Map.of("TEST_CLOUD", "1")));
    assertThat(plan.explain()).doesNotContain("s3cr3t-pw").contains("mode: transaction")
        .contains("connects to: x.db.example:6543");
    assertThat(plan.toString()).doesNotContain("s3cr3t-pw");
  }

  @Test
  void unknownKeysGetASuggestion() {
    UnknownPropertyReporter reporter = new UnknownPropertyReporter();
    assertThat(reporter.suggestionFor("maxConection")).contains("maxConnections");
    assertThat(reporter.suggestionFor("prepareTreshold")).contains("prepareThreshold");
    assertThat(reporter.suggestionFor("zzzzzzzzzzzzzzzz")).isEmpty();
  }

  @Property
  void passwordsNeverAppearInPlansOrErrors(@ForAll("passwords") String password, @ForAll("urlTails") String tail) {
    Properties info = new Properties();
    info.setProperty("user", "u");
    info.setProperty("password", password);
    try {
      ConnectionPlan plan = planner.plan("jdbc:serverless-pg://x.db.example/app" + tail, info, NO_ENV);
      assertThat(plan.explain()).doesNotContain(password);
      assertThat(plan.toString()).doesNotContain(password);
      assertThat(plan.cacheKey().toString()).doesNotContain(password);
      assertThat(plan.pgjdbcUrl()).doesNotContain(password);
    } catch (SQLException e) {
      assertThat(e.getMessage()).doesNotContain(password);
    }
  }

  @Property
  void everyPlanOfATransactionModeTargetDisablesNamedPrepares(@ForAll("urlTails") String tail) {
    try {
      ConnectionPlan plan = planner.plan("jdbc:serverless-pg://x.db.example:6543/app" + tail, null, NO_ENV);
      if (plan.mode() == ConnectionMode.TRANSACTION && !tail.contains("serverPrepare=on")) {
        assertThat(plan.pgjdbcUrl()).contains("prepareThreshold=0");
        assertThat(plan.pgjdbcProperties()).doesNotContainKeys("currentSchema", "options");
      }
    } catch (SQLException e) {
      assertThat(e.getSQLState()).isIn("08001", "22023", "0A000");
    }
  }

  @Provide
  Arbitrary<String> passwords() {
    return Arbitraries.strings().ofMinLength(6).ofMaxLength(20).withChars("abcdefXYZ0123456789!@#%^&*()_+-=");
  }

  @Provide
  Arbitrary<String> urlTails() {
    Arbitrary<String> parameter = Arbitraries.of("mode=transaction", "mode=session", "mode=direct", "mode=auto",
        "mode=bogus", "serverPrepare=on", "serverPrepare=off", "currentSchema=s", "options=-c%20search_path%3Dx",
        "options=-c%20statement_timeout%3D5", "maxConnections=3", "maxConnections=-1", "pooler=127.0.0.1:6432",
        "pooler=:1", "sessionState=error", "prepareThreshold=5", "reuse=false", "reuse=maybe");
    return parameter.list().ofMaxSize(4).map(list -> list.isEmpty() ? "" : "?" + String.join("&", list));
  }

  /** Hosts {@code *.db.example}: port 6543 is the transaction pooler, 5432 the database. */
  static final class ExampleProvider implements PoolerProvider {
    @Override
    public String name() {
      return "example";
    }

    @Override
    public boolean recognizes(Endpoint endpoint) {
      return endpoint.host().endsWith(".db.example");
    }

    @Override
    public boolean isTransactionPooler(Endpoint endpoint) {
      return endpoint.port() == 6543;
    }

    @Override
    public Endpoint route(Endpoint configured, ConnectionMode mode) {
      return configured.withPort(mode == ConnectionMode.TRANSACTION ? 6543 : 5432);
    }
  }

  /** A single-request platform, like AWS Lambda. */
  static final class TestCloudDetector implements PlatformDetector {
    @Override
    public String name() {
      return "test-cloud";
    }

    @Override
    public boolean detect(Map<String, String> environment) {
      return "1".equals(environment.get("TEST_CLOUD"));
    }

    @Override
    public String evidence(Map<String, String> environment) {
      return "TEST_CLOUD=1";
    }

    @Override
    public boolean servesOneRequestAtATime(Map<String, String> environment) {
      return true;
    }
  }
}
