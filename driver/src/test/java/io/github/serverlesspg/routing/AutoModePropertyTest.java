package io.github.serverlesspg.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.PlatformDetector;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The rules of {@code mode=auto} and of the platform defaults, over URLs (hosts, parameters) and environments
 * (single-request and concurrent platforms, declared pooling, pool sizing). The probe's two outcomes are checked
 * against the oracle of an explicit mode: a probed endpoint must end up exactly as if the user had written
 * {@code mode=direct} or {@code mode=transaction}.
 */
class AutoModePropertyTest {
  private static final String PASSWORD = "Pr0perty-Secret";

  private ConnectionPlanner planner(ProbeVerdicts verdicts) {
    return new ConnectionPlanner(new Extensions(List.of(new ConnectionPlannerTest.ExampleProvider()),
        List.of(new ConnectionPlannerTest.TestCloudDetector(), new ContainerDetector())),
        new UnknownPropertyReporter(), verdicts);
  }

  @Property(tries = 300)
  void autoModeFollowsTheRules(@ForAll("hosts") String host, @ForAll("parameters") List<String> parameters,
      @ForAll("environments") Map<String, String> variables) throws SQLException {
    String url = url(host, parameters);
    Environment environment = Environment.of(variables);
    ConnectionPlan plan;
    try {
      plan = planner(ProbeVerdicts.isolated()).plan(url, credentials(), environment);
    } catch (SQLException e) {
      assertThat(e.getSQLState()).isIn("0A000", "08001", "22023");
      assertThat(e.getMessage()).doesNotContain(PASSWORD);
      return;
    }
    boolean explicitMode = parameters.stream().anyMatch(p -> p.startsWith("mode=") && !p.equals("mode=auto"));
    boolean declared = "true".equals(variables.get("USE_TRANSACTION_MODE"))
        || parameters.stream().anyMatch(p -> p.startsWith("pooler=") || p.equals("pgbouncer=true"));
    boolean provider = host.startsWith("x.db.example");
    boolean singleRequest = "1".equals(variables.get("TEST_CLOUD"));
    boolean probed = !explicitMode && !declared && !provider && !singleRequest;
    assertThat(plan.awaitsProbe()).as(url + " " + variables).isEqualTo(probed);
    if (!explicitMode && !probed) {
      // recognised (the provider's pooler port, or its pooler on a platform), declared, or single-request platform
      boolean transaction = declared || singleRequest || host.endsWith(":6543")
          || (provider && "1".equals(variables.get("TEST_CONTAINER")));
      assertThat(plan.mode()).as(url + " " + variables)
          .isEqualTo(transaction ? ConnectionMode.TRANSACTION : ConnectionMode.DIRECT);
    }

    boolean explicitLimit = parameters.stream().anyMatch(p -> p.startsWith("maxConnections="))
        || variables.containsKey("MAX_POOL_SIZE");
    if (!explicitLimit) {
      assertThat(plan.pool().maxConnections()).isEqualTo(singleRequest ? 1 : 10);
    }
    String explain = plan.explain();
    assertThat(explain).doesNotContain(PASSWORD).contains("physical connections: at most "
        + plan.pool().maxConnections() + " (").contains("connection limit: ")
        .contains("server-side prepared statements: ");
    if (singleRequest) {
      assertThat(explain).contains("TEST_CLOUD=1");
    }
  }

  /** Whatever the probe finds, the result is the plan an explicit mode would have given: same URL, properties. */
  @Property(tries = 300)
  void aProbedEndpointEndsUpAsTheExplicitModeWouldHave(@ForAll("probedHosts") String host,
      @ForAll("parameters") List<String> parameters) throws SQLException {
    List<String> withoutMode = parameters.stream()
        .filter(p -> !p.startsWith("mode=") && !p.startsWith("pooler=") && !p.equals("pgbouncer=true")).toList();
    String url = url(host, withoutMode);
    ConnectionPlan pending;
    try {
      pending = planner(ProbeVerdicts.isolated()).plan(url, credentials(), Environment.of(Map.of()));
    } catch (SQLException e) {
      assertThat(e.getSQLState()).isIn("22023", "08001");
      return;
    }
    assertThat(pending.awaitsProbe()).isTrue();
    if (!withoutMode.contains("serverPrepare=on")) { // on: the user vouches for protocol-level prepares
      assertThat(pending.pgjdbcUrl()).as("the probe connection is pooler-safe").contains("prepareThreshold=0");
    }
    assertThat(pending.pgjdbcProperties()).doesNotContainKeys("currentSchema", "options");

    ConnectionPlan direct = pending.resolve(ConnectionPlannerTest.SERVER);
    ConnectionPlan explicitDirect = planner(ProbeVerdicts.isolated()).plan(url(host, with(withoutMode, "mode=direct")),
        credentials(), Environment.of(Map.of()));
    assertSameConnections(direct, explicitDirect);
    assertThat(direct.cacheKey()).isEqualTo(pending.cacheKey());

    SQLException explicitFailure = null;
    ConnectionPlan explicitTransaction = null;
    try {
      explicitTransaction = planner(ProbeVerdicts.isolated()).plan(url(host, with(withoutMode, "mode=transaction")),
          credentials(), Environment.of(Map.of()));
    } catch (SQLException e) {
      explicitFailure = e;
    }
    if (explicitFailure != null) {
      SQLException failure = catchThrowableOfType(SQLException.class,
          () -> pending.resolve(ConnectionPlannerTest.POOLER));
      assertThat(failure.getSQLState()).isEqualTo(explicitFailure.getSQLState());
    } else {
      ConnectionPlan pooled = pending.resolve(ConnectionPlannerTest.POOLER);
      assertSameConnections(pooled, explicitTransaction);
      assertThat(pooled.initialSchema()).isEqualTo(explicitTransaction.initialSchema());
      assertThat(pooled.cacheKey()).isEqualTo(pending.cacheKey());
    }
  }

  /** Once an endpoint's verdict is recorded, every later plan for it is made with it, in the same pool family. */
  @Property(tries = 100)
  void laterPlansUseTheRecordedVerdict(@ForAll("probedHosts") String host,
      @ForAll("parameters") List<String> parameters, @ForAll boolean pooler) throws SQLException {
    List<String> withoutMode = parameters.stream()
        .filter(p -> !p.startsWith("mode=") && !p.startsWith("pooler=") && !p.equals("pgbouncer=true")
            && !p.startsWith("options=")).toList();
    ProbeVerdicts verdicts = ProbeVerdicts.isolated();
    ConnectionPlan pending;
    try {
      pending = planner(verdicts).plan(url(host, withoutMode), credentials(), Environment.of(Map.of()));
    } catch (SQLException e) {
      return;
    }
    ProbeVerdict verdict = pooler ? ConnectionPlannerTest.POOLER : ConnectionPlannerTest.SERVER;
    verdicts.record(pending.probeKey(), verdict);
    ConnectionPlan later = planner(verdicts).plan(url(host, withoutMode), credentials(), Environment.of(Map.of()));
    assertThat(later.awaitsProbe()).isFalse();
    assertThat(later.probeVerdict()).isSameAs(verdict);
    ConnectionPlan resolved = pending.resolve(verdict);
    assertSameConnections(later, resolved);
    assertThat(later.mode()).isEqualTo(resolved.mode());
    assertThat(later.cacheKey()).isEqualTo(pending.cacheKey());
    assertThat(later.explain()).contains(pooler ? "the probe found a pooler" : "the probe found PostgreSQL itself");
  }

  private static void assertSameConnections(ConnectionPlan actual, ConnectionPlan expected) {
    assertThat(actual.mode()).isEqualTo(expected.mode());
    assertThat(actual.pgjdbcUrl()).isEqualTo(expected.pgjdbcUrl());
    assertThat(actual.pgjdbcProperties()).isEqualTo(expected.pgjdbcProperties());
    assertThat(actual.serverPrepare()).isEqualTo(expected.serverPrepare());
    assertThat(actual.endpoints()).isEqualTo(expected.endpoints());
    assertThat(actual.pool()).isEqualTo(expected.pool());
  }

  private static List<String> with(List<String> parameters, String extra) {
    List<String> all = new java.util.ArrayList<>(parameters);
    all.add(extra);
    return all;
  }

  private static String url(String host, List<String> parameters) {
    return "jdbc:serverless-pg://" + host + "/app" + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
  }

  private static Properties credentials() {
    Properties info = new Properties();
    info.setProperty("user", "app");
    info.setProperty("password", PASSWORD);
    return info;
  }

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.oneOf(probedHosts(), Arbitraries.of("x.db.example", "x.db.example:6543", "x.db.example:5432"));
  }

  @Provide
  Arbitrary<String> probedHosts() {
    return Arbitraries.of("localhost", "127.0.0.1:6432", "pgbouncer.db.svc.cluster.local:6432", "db.internal",
        "a.example.org:5432,b.example.org:5432", "[::1]:5433");
  }

  @Provide
  Arbitrary<List<String>> parameters() {
    return Arbitraries.of("mode=transaction", "mode=session", "mode=direct", "mode=auto", "serverPrepare=on",
        "serverPrepare=off", "currentSchema=shop", "options=-c%20search_path%3Dx",
        "options=-c%20statement_timeout%3D5", "maxConnections=3", "pooler=127.0.0.1:6432", "pgbouncer=true",
        "sessionState=error", "prepareThreshold=7", "readOnlyMode=always", "reuse=false", "ApplicationName=app")
        .list().uniqueElements(parameter -> parameter.substring(0, parameter.indexOf('='))).ofMaxSize(4);
  }

  @Provide
  Arbitrary<Map<String, String>> environments() {
    Arbitrary<Map<String, String>> platform = Arbitraries.of(Map.of(), Map.of("TEST_CLOUD", "1"),
        Map.of("TEST_CONTAINER", "1"));
    Arbitrary<Map<String, String>> declared = Arbitraries.of(Map.of(), Map.of("USE_TRANSACTION_MODE", "true"),
        Map.of("USE_TRANSACTION_MODE", "false"));
    Arbitrary<Map<String, String>> sizing = Arbitraries.of(Map.of(), Map.of("MAX_POOL_SIZE", "40"),
        Map.of("MAX_POOL_SIZE", "40", "INSTANCE_COUNT", "8"));
    return Combinators.combine(platform, declared, sizing).as((a, b, c) -> {
      Map<String, String> all = new HashMap<>(a);
      all.putAll(b);
      all.putAll(c);
      return all;
    });
  }

  /** A platform whose instances serve many requests at once, like Cloud Run. */
  static final class ContainerDetector implements PlatformDetector {
    @Override
    public String name() {
      return "test-containers";
    }

    @Override
    public boolean detect(Map<String, String> environment) {
      return "1".equals(environment.get("TEST_CONTAINER"));
    }

    @Override
    public String evidence(Map<String, String> environment) {
      return "TEST_CONTAINER";
    }
  }
}
