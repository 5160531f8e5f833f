package io.github.serverlesspg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar as users run it ({@code java -jar cli/target/serverless-pg-cli.jar ...}), in a process of its own:
 * its manifest, its merged driver registrations and its bundled fixture. Runs after {@code package}; each run's
 * output is kept under {@code target/cli-runs/}.
 */
@RealDatabase
class RunnableJarTest {
  private static final Path JAR = Path.of(System.getProperty("cli.jar", "target/serverless-pg-cli.jar"));
  private static final Path OUTPUT = Path.of("target", "cli-runs");

  @Test
  void explainPrintsThePlanWithoutThePassword() throws Exception {
    Result result = run("explain", "explain",
        "jdbc:serverless-pg://ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb?user=app&password=Secret-0815"
            + "&mode=transaction");

    assertThat(result.exitCode).as(result.out).isEqualTo(0);
    assertThat(result.out).contains("mode: transaction",
        "connects to: ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech", "provider: neon")
        .doesNotContain("Secret-0815");
  }

  @Test
  void doctorReportsInTextAndExitsLikeTheInProcessRun(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws Exception {
    Result result = run("doctor-transaction-pooler", "doctor", DoctorTest.url(pooler.host(), pooler.port(),
        pooler.database(), pooler.user(), pooler.password(), "&mode=direct"));

    assertThat(result.exitCode).as(result.out).isEqualTo(Cli.PROBLEMS);
    assertThat(result.out).contains("FAIL  transaction pooling", "fix: use mode=transaction", "result: problems")
        .doesNotContain(pooler.password());
  }

  @Test
  void demoShowsTheProblemTheFixAndTheTrace() throws Exception {
    Result result = run("demo", "demo");

    assertThat(result.exitCode).as(result.out + result.err).isEqualTo(0);
    String plain = section(result.out, "1. Plain pgjdbc", "2. serverless-pg");
    assertThat(plain).containsPattern("200 invocations: \\d+ ok, [1-9]\\d* failed")
        .containsPattern("42P05|26000");
    String driver = section(result.out, "2. serverless-pg", "3. One");
    assertThat(driver).contains("200 invocations: 200 ok, 0 failed; 20 physical connections");
    String single = section(result.out, "3. One", "Stopping");
    assertThat(single).contains("200 invocations: 200 ok, 0 failed; 1 physical connection opened",
        "invocation 1 (cold)", "connection.origin=cold", "serverless-pg connect tcp", "serverless-pg connect auth",
        "invocation 2 (warm)", "connection.origin=warm");
    assertThat(result.out).contains("Stopping PostgreSQL and PgBouncer ... done");
  }

  private static String section(String text, String from, String to) {
    int start = text.indexOf(from);
    int end = text.indexOf(to, start);
    assertThat(start).as(text).isNotNegative();
    assertThat(end).as(text).isGreaterThan(start);
    return text.substring(start, end);
  }

  private record Result(int exitCode, String out, String err) {
  }

  private static Result run(String name, String... args) throws IOException, InterruptedException {
    Files.createDirectories(OUTPUT);
    Path out = OUTPUT.resolve(name + ".out");
    Path err = OUTPUT.resolve(name + ".err");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("java -jar " + JAR + " " + args[0] + " did not finish in 3 minutes");
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
