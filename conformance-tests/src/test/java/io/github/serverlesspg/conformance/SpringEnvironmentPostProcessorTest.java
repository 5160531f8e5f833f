package io.github.serverlesspg.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.integration.spring.ServerlessPgEnvironmentPostProcessor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The post-processor supplies the driver class, the DataSource type and HikariCP's size for our URLs only, and never
 * over the application's own choice.
 */
final class SpringEnvironmentPostProcessorTest {
  private static final String DRIVER = "spring.datasource.driver-class-name";
  private static final String TYPE = "spring.datasource.type";
  private static final String HIKARI_SIZE = "spring.datasource.hikari.maximum-pool-size";
  private static final String OURS = ServerlessPgDriver.class.getName();

  @Test
  void suppliesOurDriverForOurUrl() {
    StandardEnvironment environment = postProcessed();
    environment.getPropertySources().addFirst(application(Map.of("spring.datasource.url", "jdbc:serverless-pg://db/a")));

    assertThat(environment.getProperty(DRIVER)).isEqualTo(OURS);
  }

  @Test
  void readsTheEnvironmentVariableFormOfTheUrl() {
    StandardEnvironment environment = postProcessed();
    environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("environment",
        Map.of("SPRING_DATASOURCE_URL", "jdbc:serverless-pg://db/a")));

    assertThat(environment.getProperty(DRIVER)).isEqualTo(OURS);
  }

  @Test
  void resolvesAPlaceholderUrlFromTheEnvironment() {
    StandardEnvironment environment = postProcessed();
    environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("environment",
        Map.of("DB_URL", "jdbc:serverless-pg://db/a?maxConnections=3")));
    environment.getPropertySources().addFirst(application(Map.of("spring.datasource.url",
        "${DB_URL:jdbc:h2:mem:app}")));

    assertThat(environment.getProperty(DRIVER)).isEqualTo(OURS);
    assertThat(environment.getProperty(TYPE)).isEqualTo(ServerlessPgDataSource.class.getName());
    assertThat(environment.getProperty(HIKARI_SIZE)).isEqualTo("3");
  }

  @Test
  void thePlaceholderDefaultLeavesBootAlone() {
    StandardEnvironment environment = postProcessed();
    environment.getPropertySources().addFirst(application(Map.of("spring.datasource.url",
        "${DB_URL_THAT_IS_NOT_SET:jdbc:h2:mem:app}")));

    assertThat(environment.getProperty(DRIVER)).isNull();
    assertThat(environment.getProperty(TYPE)).isNull();
    assertThat(environment.getProperty(HIKARI_SIZE)).isNull();
  }

  @Test
  void keepsHikariWhenTheApplicationConfiguresIt() {
    StandardEnvironment environment = postProcessed();
    environment.getPropertySources().addFirst(application(Map.of("spring.datasource.url",
        "jdbc:serverless-pg://db/a?maxConnections=2", "spring.datasource.hikari.connection-timeout", "5000")));

    assertThat(environment.getProperty(TYPE)).isNull();
    assertThat(environment.getProperty(HIKARI_SIZE)).isEqualTo("2");
  }

  @Test
  void keepsATypeAndAPoolSizeTheApplicationSet() {
    StandardEnvironment environment = postProcessed();
    environment.getPropertySources().addFirst(application(Map.of("spring.datasource.url", "jdbc:serverless-pg://db/a",
        TYPE, "com.zaxxer.hikari.HikariDataSource", HIKARI_SIZE, "7")));

    assertThat(environment.getProperty(TYPE)).isEqualTo("com.zaxxer.hikari.HikariDataSource");
    assertThat(environment.getProperty(HIKARI_SIZE)).isEqualTo("7");
  }

  @Test
  void keepsADriverTheApplicationSet() {
    StandardEnvironment environment = postProcessed();
    environment.getPropertySources().addFirst(application(Map.of("spring.datasource.url", "jdbc:serverless-pg://db/a",
        DRIVER, "com.example.Wrapper")));

    assertThat(environment.getProperty(DRIVER)).isEqualTo("com.example.Wrapper");
  }

  @Test
  void leavesOtherUrlsAndNoUrlAlone() {
    StandardEnvironment environment = postProcessed();
    assertThat(environment.getProperty(DRIVER)).isNull();

    environment.getPropertySources().addFirst(application(Map.of("spring.datasource.url", "jdbc:postgresql://db/a")));
    assertThat(environment.getProperty(DRIVER)).isNull();
    assertThat(environment.getProperty(TYPE)).isNull();
  }

  @Test
  void anInvalidUrlGetsNoPoolSizeButStillOurDriverWhoseConnectExplainsTheError() {
    StandardEnvironment environment = postProcessed();
    environment.getPropertySources().addFirst(application(Map.of("spring.datasource.url",
        "jdbc:serverless-pg://db/a?maxConnections=lots")));

    assertThat(environment.getProperty(DRIVER)).isEqualTo(OURS);
    assertThat(environment.getProperty(HIKARI_SIZE)).isNull();
  }

  @Test
  void runningBothPostProcessorsAddsOneSource() {
    StandardEnvironment environment = postProcessed();
    new ServerlessPgEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getPropertySources().stream().filter(source -> source.getName().startsWith("serverlessPg")))
        .hasSize(1);
  }

  /** An environment as Spring Boot hands it to the application, before later sources (test properties) arrive. */
  private static StandardEnvironment postProcessed() {
    StandardEnvironment environment = new StandardEnvironment();
    new ServerlessPgEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
    return environment;
  }

  private static MapPropertySource application(Map<String, Object> properties) {
    return new MapPropertySource("application", properties);
  }
}
