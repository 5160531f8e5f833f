package io.github.serverlesspg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.cli.doctor.Doctor;
import io.github.serverlesspg.cli.doctor.DoctorReport;
import io.github.serverlesspg.cli.doctor.Finding;
import io.github.serverlesspg.cli.doctor.Verdict;
import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code doctor --json} against the real fixture, as CI and users run it: its verdicts for a direct URL, a
 * transaction-pooler URL with and without {@code mode}, a session pooler, and a wrong password; never the password.
 */
@RealDatabase
class DoctorTest {
  private static final String WRONG_PASSWORD = "Wrong-Password-4711";

  @Test
  void directUrlIsHealthyAndNamesPostgres(PostgresServer postgres) {
    Run run = doctor("--json", url(postgres.host(), postgres.port(), postgres.database(), postgres.user(),
        postgres.password(), ""));

    assertThat(run.exitCode).as(run.out).isEqualTo(Cli.OK);
    assertThat(run.fact("pooler")).isEqualTo("\"none\"");
    assertThat(run.fact("mode")).isEqualTo("\"direct\"");
    assertThat(run.fact("authMethod")).contains("SCRAM-SHA-256");
    assertThat(run.fact("serverMaxConnections")).isEqualTo("30");
    assertThat(run.verdict("dns")).isEqualTo("ok");
    assertThat(run.verdict("tcp")).isEqualTo("ok");
    assertThat(run.verdict("login")).isEqualTo("ok");
    assertThat(run.verdict("connections")).isEqualTo("ok");
    assertThat(run.verdict("transaction-pooler")).isEqualTo("info");
    // the test server offers TLS with a self-signed certificate; on loopback that is a fact, not a problem
    assertThat(run.fact("tlsOffered")).isEqualTo("true");
    assertThat(run.fact("certificateVerified")).isEqualTo("false");
    assertThat(run.verdict("tls")).isEqualTo("info");
    assertThat(run.checklistVerdict("reuse")).isEqualTo("ok");
    assertThat(run.checklistVerdict("migrations")).isEqualTo("ok");
    assertThat(run.checklistVerdict("timeouts")).isEqualTo("warn");
    assertThat(run.out).doesNotContain(postgres.password()).contains("password=***");
  }

  /** mode=auto finds the pooler by itself: the URL with only the prefix changed is fine. */
  @Test
  void transactionPoolerWithoutModeIsFoundByTheProbe(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    Run run = doctor("--json", url(pooler.host(), pooler.port(), pooler.database(), pooler.user(),
        pooler.password(), ""));

    assertThat(run.exitCode).as(run.out).isEqualTo(Cli.OK);
    assertThat(run.fact("pooler")).isEqualTo("\"transaction\"");
    assertThat(run.fact("mode")).isEqualTo("\"transaction\"");
    assertThat(run.fact("modeReason")).contains("the probe found a pooler");
    assertThat(run.verdict("transaction-pooler")).isEqualTo("ok");
  }

  @Test
  void transactionPoolerWithModeDirectIsAProblem(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    Run run = doctor("--json", url(pooler.host(), pooler.port(), pooler.database(), pooler.user(),
        pooler.password(), "&mode=direct"));

    assertThat(run.exitCode).as(run.out).isEqualTo(Cli.PROBLEMS);
    assertThat(run.fact("pooler")).isEqualTo("\"transaction\"");
    assertThat(run.fact("mode")).isEqualTo("\"direct\"");
    assertThat(run.verdict("transaction-pooler")).isEqualTo("fail");
    assertThat(run.finding("transaction-pooler")).contains("42P05", "26000", "mode=transaction");
    assertThat(run.out).doesNotContain(pooler.password());
  }

  @Test
  void transactionPoolerWithModeTransactionIsFine(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    Run run = doctor("--json", url(pooler.host(), pooler.port(), pooler.database(), pooler.user(),
        pooler.password(), "&mode=transaction"));

    assertThat(run.exitCode).as(run.out).isEqualTo(Cli.OK);
    assertThat(run.fact("pooler")).isEqualTo("\"transaction\"");
    assertThat(run.verdict("transaction-pooler")).isEqualTo("ok");
    assertThat(run.checklistVerdict("pooler")).isEqualTo("ok");
    assertThat(run.checklistVerdict("migrations")).isEqualTo("warn");
  }

  @Test
  void sessionPoolerIsToldApart(@Pooler(PoolMode.SESSION) PgBouncerServer pooler) {
    Run run = doctor("--json", url(pooler.host(), pooler.port(), pooler.database(), pooler.user(),
        pooler.password(), ""));

    assertThat(run.exitCode).as(run.out).isEqualTo(Cli.OK);
    assertThat(run.fact("pooler")).isEqualTo("\"session\"");
  }

  @Test
  void wrongPasswordCannotConnectAndIsNeverPrinted(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    for (String format : new String[] {"--json", null}) {
      Run run = format == null
          ? doctor(url(pooler.host(), pooler.port(), pooler.database(), pooler.user(), WRONG_PASSWORD, ""))
          : doctor(format, url(pooler.host(), pooler.port(), pooler.database(), pooler.user(), WRONG_PASSWORD, ""));

      assertThat(run.exitCode).as(run.out).isEqualTo(Cli.CANNOT_CONNECT);
      assertThat(run.out + run.err).doesNotContain(WRONG_PASSWORD).doesNotContain(pooler.password());
      // PgBouncer words it "SASL authentication failed"; PostgreSQL itself "password authentication failed"
      assertThat(run.out).contains("authentication failed", "check the user and password");
    }
  }

  @Test
  void dashboardStylePasswordIsMaskedToo(PostgresServer postgres) {
    Run run = doctor("--json", "postgresql://" + postgres.user() + ":" + WRONG_PASSWORD + "@" + postgres.host() + ":"
        + postgres.port() + "/" + postgres.database());

    assertThat(run.exitCode).as(run.out).isEqualTo(Cli.CANNOT_CONNECT);
    assertThat(run.out + run.err).doesNotContain(WRONG_PASSWORD).contains(":***@");
  }

  @Test
  void moreInstancesThanServerConnectionsIsAProblemOnlyWithoutATransactionPooler(PostgresServer postgres,
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler) {
    String direct = url(postgres.host(), postgres.port(), postgres.database(), postgres.user(), postgres.password(),
        "");
    String pooled = url(pooler.host(), pooler.port(), pooler.database(), pooler.user(), pooler.password(),
        "&mode=transaction");

    DoctorReport tooMany = new Doctor(Environment.of(Map.of("INSTANCE_COUNT", "50"))).examine(direct);
    DoctorReport seedSetting = new Doctor(Environment.of(Map.of("MAX_POOL_SIZE", "100", "INSTANCE_COUNT", "10")))
        .examine(pooled);

    assertThat(tooMany.exitCode()).as(tooMany.toText()).isEqualTo(Cli.PROBLEMS);
    assertThat(step(tooMany, "limits").verdict()).isEqualTo(Verdict.FAIL);
    assertThat(step(tooMany, "limits").fix()).contains("INSTANCE_COUNT x maxConnections = 500", "53300");
    // 10 per instance through the pooler works, but is more than a serverless instance needs
    assertThat(seedSetting.exitCode()).as(seedSetting.toText()).isEqualTo(Cli.OK);
    assertThat(seedSetting.facts()).containsEntry("maxConnections", 10);
    assertThat(step(seedSetting, "limits").verdict()).isEqualTo(Verdict.WARN);
  }

  private static Finding step(DoctorReport report, String id) {
    return report.steps().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void closedPortCannotConnect() {
    Run run = doctor("--json", "jdbc:serverless-pg://127.0.0.1:1/app?user=nobody");

    assertThat(run.exitCode).as(run.out).isEqualTo(Cli.CANNOT_CONNECT);
    assertThat(run.verdict("tcp")).isEqualTo("fail");
  }

  @Test
  void badUrlCannotConnectWithTheReason() {
    Run run = doctor("--json", "jdbc:serverless-pg://127.0.0.1:5432/app?mode=sometimes");

    assertThat(run.exitCode).as(run.out).isEqualTo(Cli.CANNOT_CONNECT);
    assertThat(run.verdict("plan")).isEqualTo("fail");
    assertThat(run.finding("plan")).contains("mode", "sometimes");
  }

  static String url(String host, int port, String database, String user, String password, String extra) {
    return "jdbc:serverless-pg://" + host + ":" + port + "/" + database + "?user=" + user + "&password=" + password
        + extra;
  }

  static Run doctor(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "doctor";
    System.arraycopy(args, 0, all, 1, args.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(all);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** One doctor run; reads the fields of its JSON report the tests look at. */
  record Run(int exitCode, String out, String err) {
    String verdict(String id) {
      return field(section("steps"), id, "verdict");
    }

    String checklistVerdict(String id) {
      return field(section("checklist"), id, "verdict");
    }

    String finding(String id) {
      Matcher line = Pattern.compile("\\{\"id\": \"" + Pattern.quote(id) + "\".*").matcher(out);
      assertThat(line.find()).as("finding %s in %s", id, out).isTrue();
      return line.group();
    }

    String fact(String name) {
      Matcher fact = Pattern.compile("\n    \"" + Pattern.quote(name) + "\": (.*?),?\n").matcher(section("facts"));
      assertThat(fact.find()).as("fact %s in %s", name, out).isTrue();
      return fact.group(1);
    }

    private String section(String name) {
      int start = out.indexOf("\"" + name + "\": ");
      assertThat(start).as("section %s in %s", name, out).isNotNegative();
      int end = out.indexOf("\n  ]", start);
      int endOfObject = out.indexOf("\n  }", start);
      return out.substring(start, name.equals("facts") ? endOfObject + 1 : end + 1);
    }

    private String field(String section, String id, String field) {
      Matcher finding = Pattern.compile("\\{\"id\": \"" + Pattern.quote(id) + "\"[^\n]*\"" + field
          + "\": \"([^\"]*)\"").matcher(section);
      assertThat(finding.find()).as("%s of %s in %s", field, id, out).isTrue();
      return finding.group(1);
    }
  }
}
