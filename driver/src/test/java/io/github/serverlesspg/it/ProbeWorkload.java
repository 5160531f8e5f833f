package io.github.serverlesspg.it;

import io.github.serverlesspg.ServerlessPgDriver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGStatement;

/**
 * One application process of {@link PoolerProbeTest}: started in a JVM of its own (fresh driver state, as a new
 * serverless instance), it connects with the URL it is given and runs prepared executions of one statement on one
 * connection, then prints what it saw as {@code KEY value} lines for the test to check. The password comes from the
 * environment ({@code PROBE_PASSWORD}), never from the command line.
 *
 * <p>Arguments: the URL, the number of executions, and optionally a table name to count rows of (unqualified, so
 * that it is found through {@code currentSchema}).
 */
public final class ProbeWorkload {
  private ProbeWorkload() {
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int executions = Integer.parseInt(args[1]);
    String table = args.length > 2 ? args[2] : null;
    Properties properties = new Properties();
    properties.setProperty("password", System.getenv("PROBE_PASSWORD"));
    String sql = table == null ? "select ?::int + 1" : "select count(*) + 1 from " + table + " where id <= ?";
    int errors = 0;
    boolean serverPrepared = false;
    long namedStatements;
    try (Connection connection = DriverManager.getConnection(url, properties)) {
      for (int i = 1; i <= executions; i++) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
          statement.setInt(1, i);
          try (ResultSet result = statement.executeQuery()) {
            result.next();
            int expected = table == null ? i + 1 : Math.min(i, 100) + 1;
            if (result.getInt(1) != expected) {
              errors++;
              System.out.println("WRONG " + i + " " + result.getInt(1));
            }
          }
          serverPrepared = statement.unwrap(PGStatement.class).isUseServerPrepare();
        } catch (SQLException e) {
          errors++;
          System.out.println("ERROR " + e.getSQLState() + " " + e.getMessage().replace('\n', ' '));
        }
      }
      try (Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("select count(*) from pg_prepared_statements")) {
        result.next();
        namedStatements = result.getLong(1);
      }
    }
    System.out.println("ERRORS " + errors);
    System.out.println("SERVER_PREPARE " + serverPrepared);
    System.out.println("NAMED_STATEMENTS " + namedStatements);
    for (String line : ServerlessPgDriver.explain(url, properties).split("\n")) {
      System.out.println("EXPLAIN " + line);
    }
    System.exit(errors == 0 ? 0 : 1);
  }
}
