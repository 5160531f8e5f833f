package io.github.serverlesspg.examples.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.serverlesspg.ServerlessPgDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/**
 * An AWS Lambda handler on serverless-pg. The {@link DataSource} is static: one per execution environment, created
 * during init and kept across invocations, so warm invocations reuse the open physical connection. On Lambda the
 * driver detects the platform and runs in transaction mode with one physical connection per environment.
 *
 * <p>{@code DATABASE_URL} is the provider's connection string ({@code postgresql://user:password@host:port/db});
 * point it at the transaction pooler (Neon: the {@code -pooler} host; Supabase: port 6543), or at the direct host
 * and let the driver route to the pooler.
 *
 * <p>SnapStart: the static initializer primes the driver with one query (class loading, TLS, the plan), so the
 * snapshot holds a warm JVM; the driver then closes the idle connection before the snapshot (open sockets would
 * abort it and be dead after restore) and the first invocation after restore connects again.
 */
public final class GreetingHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final DataSource DATA_SOURCE = new ServerlessPgDataSource("jdbc:serverless-pg:env:DATABASE_URL");

  static {
    prime(DATA_SOURCE);
  }

  private final DataSource dataSource;

  public GreetingHandler() {
    this(DATA_SOURCE);
  }

  GreetingHandler(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Object name = event == null ? null : event.get("name");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement greeting = connection.prepareStatement(
            "select 'Hello, ' || ? || ', from ' || current_database(), now()")) {
      greeting.setString(1, name == null ? "world" : name.toString());
      try (ResultSet result = greeting.executeQuery()) {
        result.next();
        return Map.of("greeting", result.getString(1), "databaseTime", result.getTimestamp(2).toInstant().toString());
      }
    } catch (SQLException e) {
      // Lambda reports the exception as the invocation's error; the SQLSTATE tells retryable from permanent
      throw new IllegalStateException("database call failed: SQLSTATE " + e.getSQLState() + ", " + e.getMessage(), e);
    }
  }

  /**
   * Runs one query during init. Never fails the init: without a reachable database (or without DATABASE_URL, as in
   * unit tests) the first invocation connects instead.
   */
  static boolean prime(DataSource dataSource) {
    if (System.getenv("DATABASE_URL") == null) {
      return false;
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement("select 1");
        ResultSet result = statement.executeQuery()) {
      return result.next();
    } catch (SQLException e) {
      System.err.println("serverless-pg example: priming skipped, the first invocation will connect: SQLSTATE "
          + e.getSQLState() + ", " + e.getMessage());
      return false;
    }
  }
}
