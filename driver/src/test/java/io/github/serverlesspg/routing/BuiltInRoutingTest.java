package io.github.serverlesspg.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The planner with the installed providers and detectors, as users get it. */
class BuiltInRoutingTest {
  private static final Environment LAMBDA = Environment.of(Map.of("AWS_LAMBDA_FUNCTION_NAME", "orders"));
  private static final Environment LAPTOP = Environment.of(Map.of("HOME", "/home/dev"));
  private final ConnectionPlanner planner =
      new ConnectionPlanner(Extensions.installed(), new UnknownPropertyReporter(), ProbeVerdicts.isolated());

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

  /**
   * Concurrent platforms get a pool sized for concurrency and a probe, not single-request defaults; explain() says
   * why, with the variables the platform was detected from.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "gcp-cloud-run | K_SERVICE=orders,K_REVISION=orders-00001 | K_SERVICE, K_REVISION",
      "gcp-cloud-functions | FUNCTION_TARGET=Orders,K_SERVICE=orders,K_REVISION=o-1,K_CONFIGURATION=orders "
          + "| FUNCTION_TARGET, K_SERVICE, K_CONFIGURATION",
      "azure-functions | FUNCTIONS_WORKER_RUNTIME=java | FUNCTIONS_WORKER_RUNTIME",
      "fly | FLY_APP_NAME=orders | FLY_APP_NAME",
      "render | RENDER=true | RENDER=true",
      "railway | RAILWAY_PROJECT_ID=p-1 | RAILWAY_PROJECT_ID",
      "kubernetes | KUBERNETES_SERVICE_HOST=10.96.0.1 | KUBERNETES_SERVICE_HOST"})
  void concurrentPlatformsGetAPoolAndAProbe(String platform, String variables, String evidence) throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://db.internal:5432/app", null, environment(variables));
    assertThat(plan.platform()).isEqualTo(platform);
    assertThat(plan.awaitsProbe()).isTrue();
    assertThat(plan.pool().maxConnections()).isEqualTo(10);
    assertThat(plan.explain())
        .contains("platform: " + platform + " (from " + evidence + "; many requests per instance at once)")
        .contains("physical connections: at most 10 (+")
        .contains("connection limit: " + platform + " (from " + evidence + ") serves many requests at once")
        .contains("mode: not known yet, probed on the first connection");
    // the same endpoint, once probed: PostgreSQL means direct, with prepares, and the pool stays
    ConnectionPlan direct = plan.resolve(new ProbeVerdict(ProbeVerdict.Kind.SERVER, "test"));
    assertThat(direct.mode()).isEqualTo(ConnectionMode.DIRECT);
    assertThat(direct.serverPrepare()).isTrue();
    assertThat(direct.explain()).contains("server-side prepared statements: allowed (pgjdbc's default in direct "
        + "mode)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "aws-lambda | AWS_LAMBDA_FUNCTION_NAME=orders | AWS_LAMBDA_FUNCTION_NAME",
      "vercel | VERCEL=1 | VERCEL=1",
      "netlify | NETLIFY=true | NETLIFY=true",
      "gcp-cloud-functions | FUNCTION_TARGET=Orders,K_SERVICE=orders,K_REVISION=o-1 | FUNCTION_TARGET, K_SERVICE"})
  void singleRequestPlatformsGetOneConnectionAndTransactionMode(String platform, String variables, String evidence)
      throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://db.internal:5432/app", null, environment(variables));
    assertThat(plan.mode()).isEqualTo(ConnectionMode.TRANSACTION);
    assertThat(plan.awaitsProbe()).isFalse();
    assertThat(plan.pool().maxConnections()).isEqualTo(1);
    assertThat(plan.explain())
        .contains("mode: transaction (auto: running on " + platform + " (from " + evidence + ")")
        .contains("physical connections: at most 1 (+")
        .contains("connection limit: " + platform + " (from " + evidence + ") serves one request per instance at a "
            + "time")
        .contains("server-side prepared statements: off (prepareThreshold=0) (transaction mode");
  }

  @Test
  void poolSizeFromTheEnvironmentNamesTheVariables() throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://db.internal/app", null,
        environment("K_SERVICE=orders,K_REVISION=o-1,MAX_POOL_SIZE=40,INSTANCE_COUNT=8"));
    assertThat(plan.pool().maxConnections()).isEqualTo(5);
    assertThat(plan.explain()).contains("at most 5 (+")
        .contains("connection limit: from the environment: MAX_POOL_SIZE=40 / INSTANCE_COUNT=8\n");
  }

  private static Environment environment(String variables) {
    Map<String, String> map = new java.util.HashMap<>();
    for (String pair : variables.split(",")) {
      map.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
    }
    return Environment.of(map);
  }

  @Test
  void explicitPoolerOverridesProviders() throws SQLException {
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://db.abcdefghijklmnop.supabase.co/postgres"
        + "?pooler=10.0.0.5:6432", null, LAPTOP);
    assertThat(plan.provider()).isEqualTo("explicit");
    assertThat(plan.endpoints()).containsExactly(new Endpoint("10.0.0.5", 6432));
  }
}
