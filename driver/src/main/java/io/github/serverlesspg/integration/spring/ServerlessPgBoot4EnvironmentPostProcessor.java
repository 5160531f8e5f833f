package io.github.serverlesspg.integration.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Spring Boot 4's registration of {@link DataSourceDefaults}, under {@code org.springframework.boot
 * .EnvironmentPostProcessor} in {@code META-INF/spring.factories}. A class of its own: Boot 3 lacks that interface,
 * never reads that key, and so never loads this class.
 */
public final class ServerlessPgBoot4EnvironmentPostProcessor
    implements org.springframework.boot.EnvironmentPostProcessor, Ordered {

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    DataSourceDefaults.addTo(environment);
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
