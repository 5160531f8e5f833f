package io.github.serverlesspg.examples.plain;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A plain Java program on serverless-pg. The connection string comes from the environment
 * ({@code DATABASE_URL=postgresql://user:password@host:port/db}), or as the first argument (any
 * {@code jdbc:serverless-pg:} URL). Each "request" borrows a connection and closes it; the driver keeps the physical
 * connection open between them, so only the first one pays for connecting.
 *
 * <pre>
 * DATABASE_URL=postgresql://app:secret@localhost:5432/app java -jar target/plain-java-example.jar
 * </pre>
 */
public final class Main {
  static final String DEFAULT_URL = "jdbc:serverless-pg:env:DATABASE_URL";

  private Main() {
  }

  public static void main(String[] args) throws SQLException {
    run(args.length > 0 ? args[0] : DEFAULT_URL, System.out);
  }

  static void run(String url, PrintStream out) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute("create table if not exists example_visits (id bigserial primary key, visitor text not null,"
          + " visited_at timestamptz not null default now())");
    }
    for (String visitor : new String[] {"ada", "grace", "edsger"}) {
      out.println(visitor + " is visit number " + recordVisit(url, visitor));
    }
  }

  /** One request: a short transaction on a borrowed connection, which close() hands back. */
  static long recordVisit(String url, String visitor) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url)) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(
              "insert into example_visits (visitor) values (?)");
          PreparedStatement count = connection.prepareStatement("select count(*) from example_visits")) {
        insert.setString(1, visitor);
        insert.executeUpdate();
        long visits;
        try (ResultSet result = count.executeQuery()) {
          result.next();
          visits = result.getLong(1);
        }
        connection.commit();
        return visits;
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    }
  }
}
