package io.github.serverlesspg.integration.spring;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.config.ServerlessPgProperty;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code spring.datasource.url=jdbc:serverless-pg:...} enough for Spring Boot. Boot derives the driver class
 * from the URL prefix and knows only the vendors it ships ("Failed to determine a suitable driver class"); this
 * supplies {@code spring.datasource.driver-class-name} for our prefix as the lowest-priority property source, so any
 * driver class the application sets still wins. Registered in {@code META-INF/spring.factories}, which only Spring
 * Boot reads, so the class is never loaded without Spring.
 */
public final class ServerlessPgEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {
  static final String PROPERTY_SOURCE_NAME = "serverlessPgDriverClass";
  private static final String URL_PROPERTY = "spring.datasource.url";
  private static final String DRIVER_PROPERTY = "spring.datasource.driver-class-name";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    // The Binder reads relaxed names too (SPRING_DATASOURCE_URL, spring.datasource.driverClassName).
    Binder binder = Binder.get(environment);
    String url = binder.bind(URL_PROPERTY, String.class).orElse(null);
    boolean driverSet = binder.bind(DRIVER_PROPERTY, String.class).isBound();
    if (url == null || driverSet || !url.startsWith(ServerlessPgProperty.URL_PREFIX)) {
      return;
    }
    environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME,
        Map.of(DRIVER_PROPERTY, ServerlessPgDriver.class.getName())));
  }

  /** After the config data (application.properties, profiles) are loaded, so the URL they set is seen. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
