package io.github.serverlesspg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Smoke test: the application started as {@code main} starts it, with nothing but {@code spring.datasource.url}
 * (credentials inside the dashboard-style URL), against the real transaction-mode PgBouncer.
 */
class ExampleApplicationTest {

  @Test
  void startsFromTheUrlAloneAndQueriesThroughThePooler() {
    PgBouncerServer pooler = DatabaseEnvironment.shared().transactionPooler();
    String url = "jdbc:serverless-pg:postgresql://" + pooler.user() + ":" + pooler.password() + "@" + pooler.host()
        + ":" + pooler.port() + "/" + pooler.database() + "?mode=transaction";

    try (ConfigurableApplicationContext context = new SpringApplication(ExampleApplication.class)
        .run("--spring.datasource.url=" + url, "--spring.main.web-application-type=none", "--name=Ada")) {
      GreetingRepository greetings = context.getBean(GreetingRepository.class);

      assertThat(greetings.greet("Grace")).isEqualTo("Hello, Grace, from " + pooler.database());
      // one pool: Spring Boot builds the driver's own DataSource instead of stacking HikariCP on it
      DataSource dataSource = context.getBean(DataSource.class);
      assertThat(dataSource).isInstanceOf(ServerlessPgDataSource.class);
    }
  }
}
