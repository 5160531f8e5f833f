package io.github.serverlesspg.it;

import io.github.serverlesspg.ServerlessPgDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs inside a shaded jar assembled by {@link ShadedJarTest}, in a JVM of its own: connects the way an application
 * would and prints {@code user NAME} or {@code refused SQLSTATE MESSAGE}. The password comes from the environment
 * ({@code PROBE_PASSWORD}), never from the command line.
 *
 * <p>Usage: {@code ShadedJarProbe driver-manager|data-source|class-for-name URL USER}.
 */
public final class ShadedJarProbe {
  private ShadedJarProbe() {
  }

  public static void main(String[] args) throws Exception {
    String how = args[0];
    String url = args[1];
    String user = args[2];
    String password = System.getenv("PROBE_PASSWORD");
    try (Connection connection = open(how, url, user, password);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select current_user")) {
      result.next();
      System.out.println("user " + result.getString(1));
    } catch (SQLException e) {
      System.out.println("refused " + e.getSQLState() + " " + e.getMessage());
    }
  }

  private static Connection open(String how, String url, String user, String password) throws Exception {
    switch (how) {
      case "driver-manager":
        return DriverManager.getConnection(url, user, password);
      case "class-for-name":
        Class.forName("io.github.serverlesspg.ServerlessPgDriver");
        return DriverManager.getConnection(url, user, password);
      case "data-source":
        ServerlessPgDataSource dataSource = new ServerlessPgDataSource(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource.getConnection();
      default:
        throw new IllegalArgumentException(how);
    }
  }
}
