package io.github.serverlesspg.compat.absent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/**
 * The driver's framework integrations are registered for frameworks to find (Flyway and Liquibase plugins through
 * {@code ServiceLoader}, Spring through {@code spring.factories}); on this class path Flyway lacks its PostgreSQL
 * module and Spring is absent, and neither framework, nor the driver, may break.
 */
@RealDatabase
class OptionalModulesAbsentTest {

  @Test
  void theClassPathLacksWhatThisTestIsAbout() {
    ClassLoader loader = getClass().getClassLoader();
    assertThat(loader.getResource("org/flywaydb/database/postgresql/PostgreSQLDatabaseType.class")).isNull();
    assertThat(loader.getResource("org/springframework/boot/SpringApplication.class")).isNull();
    assertThat(loader.getResource("META-INF/services/org.flywaydb.core.extensibility.Plugin")).as("our plugin")
        .isNotNull();
  }

  @Test
  void flywayWithoutItsPostgresqlModuleStillMigratesOtherDatabases() {
    int applied = Flyway.configure().dataSource("jdbc:h2:mem:flyway;DB_CLOSE_DELAY=-1", "sa", "")
        .locations("classpath:db/h2").load().migrate().migrationsExecuted;

    assertThat(applied).isEqualTo(1);
  }

  @Test
  void flywayWithoutItsPostgresqlModuleSaysSoForOurUrl(PostgresServer postgres) {
    String url = "jdbc:serverless-pg://" + postgres.host() + ":" + postgres.port() + "/" + postgres.database()
        + "?ApplicationName=optional-absent&mode=direct";
    Flyway flyway = Flyway.configure().dataSource(url, postgres.user(), postgres.password())
        .locations("classpath:db/h2").load();

    assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class).hasMessageContaining("PostgreSQL");
  }

  @Test
  void liquibaseWithOurDatabaseRegisteredStillMigratesOtherDatabases() throws Exception {
    try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:liquibase;DB_CLOSE_DELAY=-1", "sa", "")) {
      var database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(h2));
      assertThat(database.getShortName()).isEqualTo("h2");
      new Liquibase("db/h2/changelog.yaml", new ClassLoaderResourceAccessor(), database).update("");
      try (Statement statement = h2.createStatement();
          ResultSet tables = statement.executeQuery("select count(*) from information_schema.tables "
              + "where table_name = 'LABELS'")) {
        tables.next();
        assertThat(tables.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void theDriverWorksWithoutSpring(PostgresServer postgres) throws Exception {
    String url = "jdbc:serverless-pg://" + postgres.host() + ":" + postgres.port() + "/" + postgres.database()
        + "?ApplicationName=without-spring&mode=direct";
    try (Connection connection = DriverManager.getConnection(url, postgres.credentials());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select 6 * 7")) {
      result.next();
      assertThat(result.getInt(1)).isEqualTo(42);
    }
  }
}
