package com.example.clinic;

import static com.example.clinic.ClinicConformanceTest.assertHealthy;
import static com.example.clinic.ClinicConformanceTest.dataSourceType;
import static com.example.clinic.ClinicConformanceTest.environment;
import static com.example.clinic.ClinicConformanceTest.form;
import static com.example.clinic.ClinicConformanceTest.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An application that keeps HikariCP on top of the driver ({@code SPRING_DATASOURCE_TYPE}): its pool is sized by
 * the driver's {@code maxConnections}. Runs in the Spring Boot 3.5 application (one application start per module
 * keeps the build short; the property source under test is the same on Boot 4).
 */
@RealDatabase
class HikariKeptConformanceTest {
  private static final Pattern METRIC_VALUE = Pattern.compile("\"value\":([0-9.]+)");

  @Test
  void hikariKeptByTheApplicationIsSizedByMaxConnections(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws Exception {
    Map<String, String> environment = new HashMap<>(environment(pooler, url(pooler, "maxConnections=3")));
    environment.put("SPRING_DATASOURCE_TYPE", "com.zaxxer.hikari.HikariDataSource");
    try (RunningApp app = RunningApp.start("clinic-hikari", environment)) {
      assertThat(dataSourceType(app)).isEqualTo("com.zaxxer.hikari.HikariDataSource");
      HttpResponse<String> maximum = app.get("/actuator/metrics/hikaricp.connections.max");
      assertThat(maximum.statusCode()).isEqualTo(200);
      Matcher value = METRIC_VALUE.matcher(maximum.body());
      assertThat(value.find()).as(maximum.body()).isTrue();
      assertThat(Double.parseDouble(value.group(1))).isEqualTo(3.0);
      assertHealthy(app);
      assertThat(app.postForm("/owners/new", form("Hikari", 0, 0)).statusCode()).isEqualTo(201);
    }
  }
}
