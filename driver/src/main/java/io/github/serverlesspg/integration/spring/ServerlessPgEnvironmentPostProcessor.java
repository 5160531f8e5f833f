package io.github.serverlesspg.integration.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Spring Boot 3's registration of {@link DataSourceDefaults}, under {@code org.springframework.boot.env
 * .EnvironmentPostProcessor} in {@code META-INF/spring.factories}, which only Spring Boot reads, so the class is
 * never loaded without Spring. Boot 4 deprecates that interface for removal and reads
 * {@link ServerlessPgBoot4EnvironmentPostProcessor} under its new name; it still runs this one too, which then
 * adds nothing.
 */
@SuppressWarnings("removal")
public final class ServerlessPgEnvironmentPostProcessor
    implements org.springframework.boot.env.EnvironmentPostProcessor, Ordered {
  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    DataSourceDefaults.addTo(environment);
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
