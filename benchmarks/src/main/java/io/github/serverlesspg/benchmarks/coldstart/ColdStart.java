package io.github.serverlesspg.benchmarks.coldstart;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A whole serverless cold start in one process: find the driver, connect, {@code SELECT 1}, exit. Timed from outside
 * (hyperfine) for this driver and for plain pgjdbc. It uses nothing but {@code java.sql}, so the same class runs on
 * a class path with pgjdbc alone.
 *
 * <p>Usage: {@code ColdStart pgjdbc|serverless-pg|serverless-pg-auto host:port/database}, with the credentials in
 * {@code PGUSER} and {@code PGPASSWORD} (kept off the command line, which hyperfine prints).
 */
public final class ColdStart {
  private ColdStart() {
  }

  public static void main(String[] args) throws SQLException {
    if (args.length != 2) {
      throw new IllegalArgumentException(
          "usage: ColdStart pgjdbc|serverless-pg|serverless-pg-auto host:port/database");
    }
    String url = urlFor(args[0], args[1]);
    try (Connection connection = DriverManager.getConnection(url, System.getenv("PGUSER"), System.getenv("PGPASSWORD"));
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 1")) {
      if (!result.next() || result.getInt(1) != 1) {
        throw new IllegalStateException("SELECT 1 did not return 1");
      }
    }
  }

  private static String urlFor(String driver, String address) {
    switch (driver) {
      case "pgjdbc":
        return "jdbc:postgresql://" + address;
      case "serverless-pg":
        // direct: the same route as pgjdbc, so that only the driver differs
        return "jdbc:serverless-pg://" + address + "?mode=direct";
      case "serverless-pg-auto":
        // the URL with only the prefix changed: mode=auto probes the endpoint on this first connection
        return "jdbc:serverless-pg://" + address;
      default:
        throw new IllegalArgumentException("driver must be pgjdbc, serverless-pg or serverless-pg-auto, got "
            + driver);
    }
  }
}
