package io.github.serverlesspg.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.config.ProcessBounds;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The nesting allowance is a property of each configuration; the process-wide bounds (idle connections, pools) come
 * from a system property or an environment variable only, and a URL that sets them is refused with the fix. Bad
 * values fail with 22023 naming where they came from and what is allowed. {@code explain()} shows the effective
 * values.
 */
class ConfigurableBoundsTest {
  private static final String URL = "jdbc:serverless-pg://localhost/app?mode=direct";
  private static final Environment NO_ENV = Environment.of(Map.of());
  private final ConnectionPlanner planner = new ConnectionPlanner(new Extensions(List.of(), List.of()),
      new UnknownPropertyReporter(), ProbeVerdicts.isolated());

  @Test
  void defaultsComeFromThePropertyTableAndExplainShowsThem() throws SQLException {
    ConnectionPlan plan = planner.plan(URL + "&maxConnections=3", null, NO_ENV);
    assertThat(plan.pool().nestingAllowance()).isEqualTo(2);
    assertThat(plan.pool().hardCap()).isEqualTo(5);
    assertThat(plan.pool().processBounds()).isEqualTo(new ProcessBounds(50, 100));
    assertThat(plan.explain()).contains("at most 3 (+2 for threads that already hold one: nestingAllowance, hard cap 5)",
        "at most 50 idle physical connections (maxIdleConnections) and 100 pools (maxPools)");
  }

  @Test
  void theNestingAllowanceIsSetPerConfiguration() throws SQLException {
    ConnectionPlan none = planner.plan(URL + "&maxConnections=1&nestingAllowance=0", null, NO_ENV);
    assertThat(none.pool().hardCap()).isEqualTo(1);
    assertThat(none.explain()).contains("(+0 for threads", "hard cap 1");
    Properties properties = new Properties();
    properties.setProperty("nestingAllowance", "7");
    ConnectionPlan more = planner.plan(URL + "&maxConnections=2", properties, NO_ENV);
    assertThat(more.pool().hardCap()).isEqualTo(9);
    assertThat(more.explain()).contains("(+7 for threads", "hard cap 9");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "101", "two", "3000000000", ""})
  void aBadNestingAllowanceNamesTheRange(String value) {
    SQLException error = catchThrowableOfType(SQLException.class,
        () -> planner.plan(URL + "&nestingAllowance=" + value, null, NO_ENV));
    assertThat(error.getSQLState()).isEqualTo("22023");
    assertThat(error.getMessage()).contains("property 'nestingAllowance'", "a whole number from 0 to 100");
  }

  @Test
  void theProcessWideBoundsComeFromTheEnvironment() throws SQLException {
    Environment environment = Environment.of(Map.of("SERVERLESS_PG_MAX_IDLE_CONNECTIONS", "3",
        "SERVERLESS_PG_MAX_POOLS", "7"));
    ConnectionPlan plan = planner.plan(URL, null, environment);
    assertThat(plan.pool().processBounds()).isEqualTo(new ProcessBounds(3, 7));
    assertThat(plan.explain()).contains("at most 3 idle physical connections (maxIdleConnections) and 7 pools");
  }

  @Test
  void aSystemPropertyWinsOverTheEnvironment() throws SQLException {
    System.setProperty("serverlesspg.maxPools", "9");
    try {
      ConnectionPlan plan = planner.plan(URL, null, Environment.of(Map.of("SERVERLESS_PG_MAX_POOLS", "7")));
      assertThat(plan.pool().processBounds().maxPools()).isEqualTo(9);
    } finally {
      System.clearProperty("serverlesspg.maxPools");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "100001", "many", "-5", "99999999999"})
  void aBadProcessWideValueNamesWhereItCameFromAndTheRange(String value) {
    SQLException fromEnvironment = catchThrowableOfType(SQLException.class,
        () -> planner.plan(URL, null, Environment.of(Map.of("SERVERLESS_PG_MAX_IDLE_CONNECTIONS", value))));
    assertThat(fromEnvironment.getSQLState()).isEqualTo("22023");
    assertThat(fromEnvironment.getMessage()).contains("environment variable 'SERVERLESS_PG_MAX_IDLE_CONNECTIONS'",
        "'" + value + "'", "a whole number from 1 to 100000");

    System.setProperty("serverlesspg.maxPools", value);
    try {
      SQLException fromSystem = catchThrowableOfType(SQLException.class, () -> planner.plan(URL, null, NO_ENV));
      assertThat(fromSystem.getSQLState()).isEqualTo("22023");
      assertThat(fromSystem.getMessage()).contains("system property 'serverlesspg.maxPools'",
          "a whole number from 1 to 100000");
    } finally {
      System.clearProperty("serverlesspg.maxPools");
    }
  }

  /** Through {@code DriverManager}: the application sees the 22023 before anything connects. */
  @Test
  void aBadSystemPropertyFailsGetConnection() {
    System.setProperty("serverlesspg.maxIdleConnections", "lots");
    try {
      SQLException error = catchThrowableOfType(SQLException.class, () -> java.sql.DriverManager.getConnection(
          "jdbc:serverless-pg://localhost:1/app?mode=direct&ApplicationName=bad-bounds-" + System.nanoTime()));
      assertThat(error.getSQLState()).isEqualTo("22023");
      assertThat(error.getMessage()).contains("system property 'serverlesspg.maxIdleConnections'", "'lots'",
          "a whole number from 1 to 100000");
    } finally {
      System.clearProperty("serverlesspg.maxIdleConnections");
    }
  }

  @Test
  void aProcessWideBoundInAUrlOrPropertiesIsRefusedWithTheFix() {
    SQLException inUrl = catchThrowableOfType(SQLException.class, () -> planner.plan(URL + "&maxPools=5", null,
        NO_ENV));
    assertThat(inUrl.getSQLState()).isEqualTo("22023");
    assertThat(inUrl.getMessage()).contains("'maxPools' is process-wide", "system property serverlesspg.maxPools",
        "environment variable SERVERLESS_PG_MAX_POOLS");
    Properties properties = new Properties();
    properties.setProperty("maxIdleConnections", "5");
    SQLException inProperties = catchThrowableOfType(SQLException.class, () -> planner.plan(URL, properties,
        NO_ENV));
    assertThat(inProperties.getSQLState()).isEqualTo("22023");
    assertThat(inProperties.getMessage()).contains("serverlesspg.maxIdleConnections",
        "SERVERLESS_PG_MAX_IDLE_CONNECTIONS");
  }
}
