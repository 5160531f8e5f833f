package io.github.serverlesspg.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import liquibase.command.CommandScope;
import liquibase.database.DatabaseFactory;
import liquibase.database.core.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Liquibase 4 in URL mode: the driver's Liquibase database names the driver for {@code jdbc:serverless-pg:}. */
@RealDatabase
final class LiquibaseConformanceTest {

  @AfterAll
  static void releaseConnections() {
    Target.releaseIdleConnections();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void updateByUrlAppliesTheChangelogOnce(Target target) throws Exception {
    String schema = "liquibase_" + target.name().toLowerCase();
    String url = target.url("liquibase", "currentSchema=" + schema);
    try (Connection connection = DriverManager.getConnection(url, target.credentials());
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
    }
    assertThat(DatabaseFactory.getInstance().findDefaultDriver(url)).isEqualTo(ServerlessPgDriver.class.getName());
    assertThat(DatabaseFactory.getInstance().findDefaultDriver("jdbc:postgresql://db/app"))
        .isEqualTo("org.postgresql.Driver");

    update(url, target);
    update(url, target);

    try (Connection connection = DriverManager.getConnection(url, target.credentials());
        Statement statement = connection.createStatement()) {
      assertThat(count(statement, "SELECT count(*) FROM lb_customer")).isEqualTo(1);
      assertThat(count(statement, "SELECT count(*) FROM databasechangelog")).isEqualTo(2);
    }
    try (var database = DatabaseFactory.getInstance().openDatabase(url, target.user(), target.password(), null,
        null)) {
      assertThat(database).as("once connected, Liquibase's own PostgreSQL support runs")
          .isExactlyInstanceOf(PostgresDatabase.class);
    }
  }

  /** URL, user and password only: no driver class. */
  private static void update(String url, Target target) throws Exception {
    new CommandScope("update")
        .addArgumentValue("url", url)
        .addArgumentValue("username", target.user())
        .addArgumentValue("password", target.password())
        .addArgumentValue("changelogFile", "db/liquibase/changelog.yaml")
        .execute();
  }

  private static long count(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }
}
