package io.github.serverlesspg.integration.flyway;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.config.ServerlessPgProperty;
import java.sql.Connection;
import java.sql.Types;
import java.util.List;
import java.util.Properties;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.database.base.BaseDatabaseType;
import org.flywaydb.core.internal.database.base.Database;
import org.flywaydb.core.internal.jdbc.JdbcConnectionFactory;
import org.flywaydb.core.internal.jdbc.StatementInterceptor;
import org.flywaydb.core.internal.parser.Parser;
import org.flywaydb.core.internal.parser.ParsingContext;

/**
 * Lets Flyway's URL mode ({@code flyway.url}, {@code spring.flyway.url}, {@code dataSource(url, user, password)})
 * accept {@code jdbc:serverless-pg:} URLs. Flyway picks the database type for a URL from the plugins it finds with
 * {@code ServiceLoader} ({@code META-INF/services/org.flywaydb.core.extensibility.Plugin}) by asking each one
 * {@code handlesJDBCUrl}; this type claims our prefix only, so every other URL (including {@code jdbc:postgresql:})
 * goes to the type it went to before. It claims no connection by product name: once connected, Flyway's own
 * PostgreSQL type handles the database.
 *
 * <p>It extends a class of {@code flyway-core} only, never one of {@code flyway-database-postgresql}: Flyway
 * instantiates every registered plugin when it is configured and does not catch errors, so a superclass from that
 * optional module would make {@code Flyway.configure()} fail with {@code NoClassDefFoundError} for every database
 * (an H2 test suite, a forgotten module). What is PostgreSQL-specific is delegated to Flyway's PostgreSQL type, found
 * by name when first needed; without it, a {@code jdbc:serverless-pg:} URL gets Flyway's own error naming the module.
 */
public final class ServerlessPgFlywayDatabaseType extends BaseDatabaseType {
  private static final String POSTGRESQL_TYPE = "org.flywaydb.database.postgresql.PostgreSQLDatabaseType";
  private static final String POSTGRESQL_MODULE = "org.flywaydb:flyway-database-postgresql";

  /** Flyway's PostgreSQL type, or null when its module is not on the class path; looked up once. */
  private volatile BaseDatabaseType postgresql;
  private volatile boolean lookedUp;

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

  @Override
  public List<String> getSupportedEngines() {
    BaseDatabaseType delegate = postgresql();
    return delegate != null ? delegate.getSupportedEngines() : super.getSupportedEngines();
  }

  @Override
  public int getNullType() {
    BaseDatabaseType delegate = postgresql();
    return delegate != null ? delegate.getNullType() : Types.NULL;
  }

  @Override
  public Database createDatabase(Configuration configuration, JdbcConnectionFactory jdbcConnectionFactory,
      StatementInterceptor statementInterceptor) {
    return requirePostgresql().createDatabase(configuration, jdbcConnectionFactory, statementInterceptor);
  }

  @Override
  public Parser createParser(Configuration configuration, ResourceProvider resourceProvider,
      ParsingContext parsingContext) {
    return requirePostgresql().createParser(configuration, resourceProvider, parsingContext);
  }

  @Override
  public void setDefaultConnectionProps(String url, Properties props, ClassLoader classLoader) {
    BaseDatabaseType delegate = postgresql();
    if (delegate != null) {
      delegate.setDefaultConnectionProps(url, props, classLoader);
    } else {
      super.setDefaultConnectionProps(url, props, classLoader);
    }
  }

  @Override
  public boolean detectUserRequiredByUrl(String url) {
    BaseDatabaseType delegate = postgresql();
    return delegate != null ? delegate.detectUserRequiredByUrl(url) : super.detectUserRequiredByUrl(url);
  }

  @Override
  public boolean detectPasswordRequiredByUrl(String url) {
    BaseDatabaseType delegate = postgresql();
    return delegate != null ? delegate.detectPasswordRequiredByUrl(url) : super.detectPasswordRequiredByUrl(url);
  }

  @Override
  public boolean externalAuthPropertiesRequired(String url, String username, String password) {
    BaseDatabaseType delegate = postgresql();
    return delegate != null ? delegate.externalAuthPropertiesRequired(url, username, password)
        : super.externalAuthPropertiesRequired(url, username, password);
  }

  @Override
  public Properties getExternalAuthProperties(String url, String username) {
    BaseDatabaseType delegate = postgresql();
    return delegate != null ? delegate.getExternalAuthProperties(url, username)
        : super.getExternalAuthProperties(url, username);
  }

  private BaseDatabaseType requirePostgresql() {
    BaseDatabaseType delegate = postgresql();
    if (delegate == null) {
      throw new FlywayException("jdbc:serverless-pg: URLs need Flyway's PostgreSQL support: add "
          + POSTGRESQL_MODULE + " (the version of flyway-core) to the application's dependencies");
    }
    return delegate;
  }

  private BaseDatabaseType postgresql() {
    if (!lookedUp) {
      postgresql = load(ServerlessPgFlywayDatabaseType.class.getClassLoader());
      lookedUp = true;
    }
    return postgresql;
  }

  private static BaseDatabaseType load(ClassLoader classLoader) {
    try {
      return (BaseDatabaseType) Class.forName(POSTGRESQL_TYPE, true, classLoader).getDeclaredConstructor()
          .newInstance();
    } catch (ReflectiveOperationException | LinkageError | ClassCastException absent) {
      return null;
    }
  }
}
