package io.github.serverlesspg.examples.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Smoke tests of the Lambda example against the real transaction-mode PgBouncer. */
class GreetingHandlerTest {

  @Test
  void warmInvocationsShareOnePhysicalConnection() throws Exception {
    PgBouncerServer pooler = DatabaseEnvironment.shared().transactionPooler();
    ServerlessPgDataSource dataSource = new ServerlessPgDataSource("jdbc:serverless-pg://" + pooler.host() + ":"
        + pooler.port() + "/" + pooler.database() + "?mode=transaction&maxConnections=1"
        + "&ApplicationName=lambda-example-in-process");
    dataSource.setUser(pooler.user());
    dataSource.setPassword(pooler.password());
    GreetingHandler handler = new GreetingHandler(dataSource);

    Map<String, Object> first = handler.handleRequest(Map.of("name", "Ada"), null);
    Map<String, Object> second = handler.handleRequest(Map.of(), null);

    assertThat(first).containsEntry("greeting", "Hello, Ada, from " + pooler.database()).containsKey("databaseTime");
    assertThat(second).containsEntry("greeting", "Hello, world, from " + pooler.database());
    assertThat(dataSource.health().toJson()).contains("\"total\": 1", "\"mode\": \"transaction\"");
  }

  /** As on Lambda: DATABASE_URL and the runtime's variables in the environment, the public constructor, priming. */
  @Test
  void handlerRunsFromTheEnvironmentLikeOnLambda() throws Exception {
    PgBouncerServer pooler = DatabaseEnvironment.shared().transactionPooler();
    Path output = Files.createTempFile("lambda-example", ".out");
    Path log = Files.createTempFile("lambda-example", ".log");
    ProcessBuilder runtime = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LocalLambdaRuntime.class.getName())
        .redirectOutput(output.toFile()).redirectError(log.toFile());
    runtime.environment().put("DATABASE_URL", "postgresql://" + pooler.user() + ":" + pooler.password() + "@"
        + pooler.host() + ":" + pooler.port() + "/" + pooler.database());
    runtime.environment().put("AWS_LAMBDA_FUNCTION_NAME", "greeting");
    runtime.environment().put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    Process process = runtime.start();
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String out = Files.readString(output, StandardCharsets.UTF_8);
    String logged = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(output);
    Files.delete(log);

    assertThat(process.exitValue()).as(out + logged).isZero();
    List<String> lines = out.lines().toList();
    assertThat(lines.get(0)).startsWith("mode: transaction (auto: running on aws-lambda");
    String database = pooler.database();
    assertThat(lines.subList(1, 4)).containsExactly("Hello, Ada, from " + database, "Hello, Grace, from " + database,
        "Hello, Edsger, from " + database);
    // the priming connection of the init phase is the one the invocations reuse
    assertThat(out).contains("\"total\": 1", "\"limit\": 1");
    assertThat(out + logged).doesNotContain(pooler.password());
  }
}
