package io.github.serverlesspg.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner with the installed providers and detectors, as users get it. */
class BuiltInRoutingTest {
  private static final Environment LAMBDA = Environment.of(Map.of("AWS_LAMBDA_FUNCTION_NAME", "orders"));
  private static final Environment LAPTOP = Environment.of(Map.of("HOME", "/home/dev"));
  private final ConnectionPlanner planner =
      new ConnectionPlanner(Extensions.installed(), new UnknownPropertyReporter());

  @Test
  void neonDirectHostOnLambdaIsRoutedToItsPooler() throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg:postgresql://alex:pw@"
        + "ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb?sslmode=verify-full", null, LAMBDA);
    assertThat(plan.mode()).isEqualTo(ConnectionMode.TRANSACTION);
    assertThat(plan.platform()).isEqualTo("aws-lambda");
    assertThat(plan.provider()).isEqualTo("neon");
    assertThat(plan.endpoints())
        .containsExactly(new Endpoint("ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech", 5432));
    assertThat(plan.pool().maxConnections()).isEqualTo(1);
    // TLS settings pass through unchanged: pgjdbc verifies the certificate against the pooler host it connects to.
    assertThat(plan.pgjdbcProperties()).containsEntry("sslmode", "verify-full");
    assertThat(plan.pgjdbcUrl()).startsWith("jdbc:postgresql://ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech");
  }

  @Test
  void neonPoolerHostOnALaptopIsTransactionModeByItself() throws SQLException {
    ConnectionPlan plan = planner.plan(
        "jdbc:serverless-pg://ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/neondb", null, LAPTOP);
    assertThat(plan.mode()).isEqualTo(ConnectionMode.TRANSACTION);
    assertThat(plan.modeReason()).contains("neon transaction pooler");
  }

  @Test
  void neonMigrationsInDirectModeLeaveThePooler() throws SQLException {
    ConnectionPlan plan = planner.plan(
        "jdbc:serverless-pg://ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/neondb?mode=direct", null,
        LAMBDA);
    assertThat(plan.endpoints())
        .containsExactly(new Endpoint("ep-cool-darkness-123456.us-east-2.aws.neon.tech", 5432));
    assertThat(plan.serverPrepare()).isTrue();
  }

  @Test
  void supabaseSwitchesPortsWithTheMode() throws SQLException {
    String url = "jdbc:serverless-pg:postgresql://postgres:pw@db.abcdefghijklmnop.supabase.co:5432/postgres";
    assertThat(planner.plan(url, null, LAPTOP).mode()).isEqualTo(ConnectionMode.DIRECT);
    ConnectionPlan onVercel = planner.plan(url, null, Environment.of(Map.of("VERCEL", "1")));
    assertThat(onVercel.endpoints()).containsExactly(new Endpoint("db.abcdefghijklmnop.supabase.co", 6543));
    assertThat(onVercel.serverPrepare()).isFalse();
  }

  @Test
  void rdsProxyIsATransactionPoolerWithoutRewrite() throws SQLException {
    ConnectionPlan plan = planner.plan(
        "jdbc:serverless-pg://orders.proxy-abcdefghijkl.us-east-1.rds.amazonaws.com/app", null, LAPTOP);
    assertThat(plan.mode()).isEqualTo(ConnectionMode.TRANSACTION);
    assertThat(plan.endpoints())
        .containsExactly(new Endpoint("orders.proxy-abcdefghijkl.us-east-1.rds.amazonaws.com", 5432));
  }

  @Test
  void explicitPoolerOverridesProviders() throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://db.abcdefghijklmnop.supabase.co/postgres"
        + "?pooler=10.0.0.5:6432", null, LAPTOP);
    assertThat(plan.provider()).isEqualTo("explicit");
    assertThat(plan.endpoints()).containsExactly(new Endpoint("10.0.0.5", 6432));
  }
}
