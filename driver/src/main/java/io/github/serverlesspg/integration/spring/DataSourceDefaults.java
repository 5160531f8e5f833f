package io.github.serverlesspg.integration.spring;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.config.ServerlessPgProperty;
import java.sql.SQLException;
import java.util.Properties;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The lowest-priority property source that makes {@code spring.datasource.url=jdbc:serverless-pg:...} enough for
 * Spring Boot. When, and only when, the URL (placeholders resolved, from any source, {@code SPRING_DATASOURCE_URL}
 * included) has our prefix, it answers:
 * <ul>
 *   <li>{@code spring.datasource.driver-class-name}: our driver. Boot derives the driver class from the URL prefix
 *       and knows only the vendors it ships ("Failed to determine a suitable driver class"), and with H2 on the class
 *       path it would pick H2's driver for our URL.
 *   <li>{@code spring.datasource.type}: {@link ServerlessPgDataSource}, so that Boot uses the driver's own pool
 *       instead of stacking HikariCP on it (two pools, HikariCP's sized for a server the driver may limit to one
 *       connection). Not when the application configures HikariCP ({@code spring.datasource.hikari.*}): that is
 *       choosing it.
 *   <li>{@code spring.datasource.hikari.maximum-pool-size}: the driver's {@code maxConnections} for the URL, for an
 *       application that keeps HikariCP: more would only wait inside the driver.
 * </ul>
 * Every value the application sets comes first and wins: this source is the last one asked.
 */
final class DataSourceDefaults extends EnumerablePropertySource<String> {
  static final String NAME = "serverlessPgDataSourceDefaults";
  static final String DRIVER_CLASS = "spring.datasource.driver-class-name";
  static final String TYPE = "spring.datasource.type";
  static final String HIKARI_MAXIMUM_POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";
  private static final String[] NAMES = {DRIVER_CLASS, TYPE, HIKARI_MAXIMUM_POOL_SIZE};
  private static final String URL = "spring.datasource.url";
  private static final String USERNAME = "spring.datasource.username";
  private static final String HIKARI_PREFIX = "spring.datasource.hikari.";
  private static final String HIKARI_ENVIRONMENT_PREFIX = "SPRING_DATASOURCE_HIKARI_";

  /**
   * Kept out of {@link #getSource()}: Spring Boot descends into a source object that is an environment, and would
   * go round this one forever.
   */
  private final ConfigurableEnvironment environment;

  private DataSourceDefaults(ConfigurableEnvironment environment) {
    super(NAME, NAME);
    this.environment = environment;
  }

  /** Adds the source once, last; both post-processors (Boot 3's and Boot 4's interface) may run. */
  static void addTo(ConfigurableEnvironment environment) {
    if (!environment.getPropertySources().contains(NAME)) {
      environment.getPropertySources().addLast(new DataSourceDefaults(environment));
    }
  }

  /** Enumerable, so Spring Boot's configuration-property adapter can index it instead of probing every name. */
  @Override
  public String[] getPropertyNames() {
    return NAMES.clone();
  }

  /**
   * Reads the URL when a property is asked for, not when the environment is post-processed: property sources added
   * later (a test's {@code @DynamicPropertySource}, Testcontainers' service connections) may set it.
   */
  @Override
  public Object getProperty(String name) {
    if (!DRIVER_CLASS.equals(name) && !TYPE.equals(name) && !HIKARI_MAXIMUM_POOL_SIZE.equals(name)) {
      return null;
    }
    String url = ourUrl();
    if (url == null) {
      return null;
    }
    if (DRIVER_CLASS.equals(name)) {
      return ServerlessPgDriver.class.getName();
    }
    if (TYPE.equals(name)) {
      return configuresHikari() ? null : ServerlessPgDataSource.class.getName();
    }
    return maxConnections(url);
  }

  /**
   * The effective URL when it has our prefix, else null. Through the environment, so placeholders
   * ({@code ${DB_URL:...}}) are resolved and relaxed names ({@code SPRING_DATASOURCE_URL}) found; this source does
   * not answer for the URL, so the look-up never comes back here.
   */
  private String ourUrl() {
    String url;
    try {
      url = environment.getProperty(URL);
    } catch (IllegalArgumentException unresolvable) {
      return null;
    }
    return url != null && url.startsWith(ServerlessPgProperty.URL_PREFIX) ? url : null;
  }

  private boolean configuresHikari() {
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source != this && source instanceof EnumerablePropertySource<?> enumerable
          && !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
        for (String property : enumerable.getPropertyNames()) {
          if (property.startsWith(HIKARI_PREFIX) || property.startsWith(HIKARI_ENVIRONMENT_PREFIX)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The driver's limit for this URL (and user: a limit may differ per credential set), or null if it is invalid. */
  private String maxConnections(String url) {
    Properties info = new Properties();
    String user = environment.getProperty(USERNAME);
    if (user != null) {
      info.setProperty("user", user);
    }
    try {
      return Integer.toString(ServerlessPgDriver.maxConnections(url, info));
    } catch (SQLException invalid) {
      // the connect reports it, with its message, when the pool opens its first connection
      return null;
    }
  }
}
