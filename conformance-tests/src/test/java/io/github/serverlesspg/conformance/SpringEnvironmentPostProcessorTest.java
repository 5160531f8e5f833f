package io.github.serverlesspg.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.integration.spring.ServerlessPgEnvironmentPostProcessor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The post-processor supplies the driver class for our URLs only, and never over the application's own choice. */
final class SpringEnvironmentPostProcessorTest {
  private static final String DRIVER = "spring.datasource.driver-class-name";
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
