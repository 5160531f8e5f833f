package io.github.serverlesspg.integration.liquibase;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.config.ServerlessPgProperty;
import liquibase.database.DatabaseConnection;
import liquibase.database.core.PostgresDatabase;

/**
 * Lets Liquibase's URL mode ({@code --url}, {@code spring.liquibase.url}) find the driver for
 * {@code jdbc:serverless-pg:} URLs. Liquibase asks every {@code liquibase.database.Database} it finds with
 * {@code ServiceLoader} for {@code getDefaultDriver(url)}; this one answers for our prefix only. It has its own short
 * name, because Liquibase keeps one implementation per short name and this one must not hide
 * {@link PostgresDatabase}, and it never claims a connection: once connected, Liquibase's own PostgreSQL support
 * handles the database (the connection's metadata says PostgreSQL).
 */
public final class ServerlessPgLiquibaseDatabase extends PostgresDatabase {

  @Override
  public String getShortName() {
    return "serverless-pg";
  }

  @Override
  public String getDefaultDriver(String url) {
    return url != null && url.startsWith(ServerlessPgProperty.URL_PREFIX) ? ServerlessPgDriver.class.getName() : null;
  }

  @Override
  public boolean isCorrectDatabaseImplementation(DatabaseConnection connection) {
    return false;
  }
}
