package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Runs in its own surefire execution whose environment has {@code USE_TRANSACTION_MODE=true}, as a serverless
 * deployment following the seed's setup would: the application's URL differs from plain pgjdbc's only in its prefix.
 */
@RealDatabase
class ServerlessEnvironmentTest {

  @Test
  void changingOnlyThePrefixFixesTheBaselineWorkload(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws Exception {
    assertThat(System.getenv("USE_TRANSACTION_MODE")).as("set by this test's surefire execution").isEqualTo("true");
    String plainUrl = pooler.jdbcUrl();
    String url = plainUrl.replace("jdbc:postgresql:", "jdbc:serverless-pg:");
    assertThat(ServerlessPgDriver.explain(url, new Properties())).contains("mode: transaction")
        .contains("USE_TRANSACTION_MODE=true");
    Properties credentials = pooler.credentials();
    credentials.setProperty("maxConnections", "20"); // one physical connection per thread, as in the baseline
    List<Throwable> failures = TransactionPoolerTest.runPreparedWorkload(url, credentials, 20, 50);
    assertThat(failures).isEmpty();
  }
}
