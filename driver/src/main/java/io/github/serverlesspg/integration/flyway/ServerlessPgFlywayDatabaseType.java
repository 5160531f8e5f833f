package io.github.serverlesspg.integration.flyway;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.config.ServerlessPgProperty;
import java.sql.Connection;
import org.flywaydb.database.postgresql.PostgreSQLDatabaseType;

/**
 * Lets Flyway's URL mode ({@code flyway.url}, {@code spring.flyway.url}, {@code dataSource(url, user, password)})
 * accept {@code jdbc:serverless-pg:} URLs. Flyway picks the database type for a URL from the plugins it finds with
 * {@code ServiceLoader} ({@code META-INF/services/org.flywaydb.core.extensibility.Plugin}) by asking each one
 * {@code handlesJDBCUrl}; this type claims our prefix only, so every other URL (including {@code jdbc:postgresql:})
 * goes to the type it went to before. It behaves as Flyway's PostgreSQL type in everything else. It claims no
 * connection by product name: once connected, Flyway's own PostgreSQL type handles the database.
 */
public final class ServerlessPgFlywayDatabaseType extends PostgreSQLDatabaseType {

  @Override
  public String getName() {
    return "serverless-pg";
  }

  @Override
  public boolean handlesJDBCUrl(String url) {
    return url.startsWith(ServerlessPgProperty.URL_PREFIX);
  }

  @Override
  public String getDriverClass(String url, ClassLoader classLoader) {
    return ServerlessPgDriver.class.getName();
  }

  @Override
  public boolean handlesDatabaseProductNameAndVersion(String databaseProductName, String databaseProductVersion,
      Connection connection) {
    return false;
  }
}
