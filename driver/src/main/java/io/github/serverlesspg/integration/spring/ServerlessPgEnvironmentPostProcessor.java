package io.github.serverlesspg.integration.spring;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.config.ServerlessPgProperty;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Makes {@code spring.datasource.url=jdbc:serverless-pg:...} enough for Spring Boot. Boot derives the driver class
 * from the URL prefix and knows only the vendors it ships ("Failed to determine a suitable driver class"); this adds
 * a lowest-priority property source that answers {@code spring.datasource.driver-class-name} with our driver when,
 * and only when, the URL has our prefix. Any driver class the application sets comes first and wins. Registered in
 * {@code META-INF/spring.factories}, which only Spring Boot reads, so the class is never loaded without Spring.
 */
public final class ServerlessPgEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {
  public static final String PROPERTY_SOURCE_NAME = "serverlessPgDriverClass";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
      environment.getPropertySources().addLast(new DriverClassPropertySource(environment));
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  /**
   * Reads the URL when the driver class is asked for, not when the environment is post-processed: property sources
   * added later (a test's {@code @DynamicPropertySource}, Testcontainers' service connections) may set the URL.
   */
  private static final class DriverClassPropertySource extends EnumerablePropertySource<String> {
    private static final String DRIVER_PROPERTY = "spring.datasource.driver-class-name";
    private static final String[] NAMES = {DRIVER_PROPERTY};
    private static final String URL_PROPERTY = "spring.datasource.url";

    /**
     * Kept out of {@link #getSource()}: Spring Boot descends into a source object that is an environment, and would
     * go round this one forever.
     */
    private final ConfigurableEnvironment environment;

    DriverClassPropertySource(ConfigurableEnvironment environment) {
      super(PROPERTY_SOURCE_NAME, PROPERTY_SOURCE_NAME);
      this.environment = environment;
    }

    /** Enumerable, so Spring Boot's configuration-property adapter can index it instead of probing every name. */
    @Override
    public String[] getPropertyNames() {
      return NAMES.clone();
    }

    @Override
    public Object getProperty(String name) {
      if (!DRIVER_PROPERTY.equals(name)) {
        return null;
      }
      Object url = url();
      return url instanceof String text && text.startsWith(ServerlessPgProperty.URL_PREFIX)
          ? ServerlessPgDriver.class.getName() : null;
    }

    /**
     * The URL from the first source that has it, in the environment's precedence order. The sources are read
     * directly, not through a Binder, because this runs on every lookup of the driver property; the system
     * environment source maps the name to {@code SPRING_DATASOURCE_URL} itself.
     */
    private Object url() {
      for (PropertySource<?> source : environment.getPropertySources()) {
        if (source != this && !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
          Object url = source.getProperty(URL_PROPERTY);
          if (url != null) {
            return url;
          }
        }
      }
      return null;
    }
  }
}
