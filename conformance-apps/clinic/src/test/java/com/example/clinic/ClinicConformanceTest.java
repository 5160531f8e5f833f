package com.example.clinic;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The application as its users run it: built by Spring Boot's starter parent alone (its BOM decides the
 * OpenTelemetry API and pgjdbc versions), H2 on the class path, {@code spring.datasource.url=${DB_URL:...}} in
 * application.properties, and only {@code DB_URL} (with {@code DB_USER}/{@code DB_PASSWORD}) set in the environment,
 * pointed at PgBouncer in transaction mode with our prefix.
 */
@RealDatabase
class ClinicConformanceTest {
  private static final int CLIENTS = 12;
  private static final int ROUNDS_PER_CLIENT = 10;
  private static final Pattern DATA_SOURCE_TYPE = Pattern.compile("\"dataSource\":\\{[^}]*?\"type\":\"([^\"]+)\"");

  /**
   * The URL a user writes: pgjdbc's with only the prefix changed. Nothing says it is a pooler: the driver finds out
   * (mode=auto probes the endpoint) and runs in transaction mode.
   */
  static String url(PgBouncerServer pooler, String parameters) {
    return "jdbc:serverless-pg://" + pooler.host() + ":" + pooler.port() + "/" + pooler.database()
        + (parameters.isEmpty() ? "" : "?" + parameters);
  }

  static Map<String, String> environment(PgBouncerServer pooler, String url) {
    return Map.of("DB_URL", url, "DB_USER", pooler.user(), "DB_PASSWORD", pooler.password());
  }

  @Test
  void theBuildUsesTheVersionsItsBomPins() {
    assertThat(io.opentelemetry.api.OpenTelemetry.class.getPackage().getImplementationVersion())
        .isEqualTo(System.getProperty("boot.opentelemetry.version"));
    assertThat(org.postgresql.util.DriverInfo.DRIVER_VERSION).isEqualTo(System.getProperty("boot.postgresql.version"));
  }

  @Test
  void servesConcurrentRequestsThroughTheTransactionPoolerWithTheDriversOwnPool(
      @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler, PostgresServer postgres) throws Exception {
    try (RunningApp app = RunningApp.start("clinic-default", environment(pooler, url(pooler, "")))) {
      assertThat(dataSourceType(app)).as("one pool: the driver's own, no HikariCP on top")
          .isEqualTo("io.github.serverlesspg.ServerlessPgDataSource");
      assertHealthy(app);

      List<String> failures = load(app);

      assertThat(failures).as("failed requests of %s; application output:%n%s", CLIENTS * ROUNDS_PER_CLIENT * 3,
          app.output()).isEmpty();
      assertThat(storedOwners(postgres)).as("every owner posted is stored").isEqualTo(CLIENTS * ROUNDS_PER_CLIENT);
    }
  }

  static String dataSourceType(RunningApp app) throws Exception {
    HttpResponse<String> beans = app.get("/actuator/beans");
    assertThat(beans.statusCode()).isEqualTo(200);
    Matcher type = DATA_SOURCE_TYPE.matcher(beans.body());
    assertThat(type.find()).as("a dataSource bean").isTrue();
    return type.group(1);
  }

  /** Spring Boot's DataSource health indicator, through the driver. */
  static void assertHealthy(RunningApp app) throws Exception {
    HttpResponse<String> health = app.get("/actuator/health");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(jsonObject(health.body(), "db")).as(health.body()).contains("\"status\":\"UP\"")
        .contains("\"database\":\"PostgreSQL\"");
  }

  /** The text of the JSON object under {@code name} (field order differs between Boot 3 and 4). */
  private static String jsonObject(String json, String name) {
    int start = json.indexOf("\"" + name + "\":{");
    assertThat(start).as("%s in %s", name, json).isNotNegative();
    int depth = 0;
    for (int at = json.indexOf('{', start); at < json.length(); at++) {
      depth += json.charAt(at) == '{' ? 1 : json.charAt(at) == '}' ? -1 : 0;
      if (depth == 0) {
        return json.substring(start, at + 1);
      }
    }
    return json.substring(start);
  }

  /** Each client posts owners, searches for them and shows each; returns what failed. */
  private static List<String> load(RunningApp app) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int client = 0; client < CLIENTS; client++) {
        int number = client;
        results.add(clients.submit(() -> rounds(app, number)));
      }
      List<String> failures = new ArrayList<>();
      for (Future<List<String>> result : results) {
        failures.addAll(result.get());
      }
      return failures;
    } finally {
      clients.shutdownNow();
    }
  }

  private static List<String> rounds(RunningApp app, int client) {
    List<String> failures = new ArrayList<>();
    for (int round = 0; round < ROUNDS_PER_CLIENT; round++) {
      try {
        HttpResponse<String> created = app.postForm("/owners/new", form("Load" + client, client, round));
        check(failures, "POST", created, 201);
        check(failures, "find", app.get("/owners?lastName=Load" + client), 200);
        if (created.statusCode() == 201) {
          check(failures, "show", app.get("/owners/" + created.body().trim()), 200);
        }
      } catch (Exception e) {
        failures.add(e.toString());
      }
    }
    return failures;
  }

  private static void check(List<String> failures, String what, HttpResponse<String> response, int expected) {
    if (response.statusCode() != expected) {
      failures.add(what + " " + response.statusCode() + ": " + response.body());
    }
  }

  static String form(String lastName, int client, int round) {
    return "firstName=Client" + client + "&lastName=" + lastName + "&city=Round" + round + "&telephone=555"
        + client + round;
  }

  private static int storedOwners(PostgresServer postgres) throws Exception {
    try (Connection connection = postgres.openAdminConnection(); Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("select count(*) from owners where last_name like 'Load%'")) {
      count.next();
      return count.getInt(1);
    }
  }
}
