package io.github.serverlesspg.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Smoke test: the example's main against the real transaction-mode PgBouncer, with a dashboard-style URL. */
class MainTest {

  @Test
  void recordsVisitsThroughTheTransactionPooler() throws Exception {
    PgBouncerServer pooler = DatabaseEnvironment.shared().transactionPooler();
    String url = "jdbc:serverless-pg:postgresql://" + pooler.user() + ":" + pooler.password() + "@" + pooler.host()
        + ":" + pooler.port() + "/" + pooler.database() + "?mode=transaction&ApplicationName=plain-java-example";
    try (Connection admin = pooler.backend().openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("drop table if exists example_visits");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    Main.run(url, new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(String.join(System.lineSeparator(),
        "ada is visit number 1", "grace is visit number 2", "edsger is visit number 3", ""));
    try (Connection direct = DriverManager.getConnection(pooler.backend().jdbcUrl(), pooler.credentials());
        Statement statement = direct.createStatement();
        var result = statement.executeQuery("select string_agg(visitor, ',' order by id) from example_visits")) {
      result.next();
      assertThat(result.getString(1)).isEqualTo("ada,grace,edsger");
    }
  }
}
