package io.github.serverlesspg.benchmarks.coldstart;

import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.routing.ConnectionPlanner;
import io.github.serverlesspg.routing.Extensions;
import io.github.serverlesspg.routing.UnknownPropertyReporter;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/**
 * Splits this driver's cold path into the first uses it consists of, in the order a first
 * {@code DriverManager.getConnection} meets them, and prints each step's wall time in a fresh JVM. Each step pays
 * only what the steps before it have not already loaded, so the times are marginal costs and add up to the whole.
 * The last steps are the physical pgjdbc connect that plain pgjdbc pays too, the same connect again (what a physical
 * connect costs once its classes are loaded), and the driver's own connect, which opens one more physical connection
 * and loads what is left of its cold path.
 *
 * <p>Usage (credentials in {@code PGUSER}/{@code PGPASSWORD}): {@code ColdPathCosts host:port/database}. Prints one
 * {@code NN step<TAB>microseconds} line per step. Run it several times; the first use of anything varies by ±30%.
 */
public final class ColdPathCosts {
  /** The shape of the driver's plan-cache key: a record, whose equals/hashCode bootstrap on first use. */
  private record Key(String url, Map<String, String> properties) {
  }

  @FunctionalInterface
  private interface Step {
    Object run() throws Exception;
  }

  private static final StringBuilder REPORT = new StringBuilder();
  private static int steps;

  private ColdPathCosts() {
  }

  public static void main(String[] args) throws Exception {
    String address = args[0];
    Properties credentials = new Properties();
    credentials.setProperty("user", System.getenv("PGUSER"));
    credentials.setProperty("password", System.getenv("PGPASSWORD"));
    step("pgjdbc Driver class (both drivers pay it)", () -> Class.forName("org.postgresql.Driver"));
    step("ServerlessPgDriver class (registration)", () -> Class.forName("io.github.serverlesspg.ServerlessPgDriver"));
    step("indy string concatenation, first use", () -> "x".concat(address) + System.nanoTime());
    step("SLF4J LoggerFactory.getLogger (no provider)", () -> LoggerFactory.getLogger(ColdPathCosts.class));
    step("PhysicalConnectionCache (ConcurrentHashMap)", PhysicalConnectionCache::isolated);
    step("record hashCode/equals bootstrap (PlanCache.Key)", () -> new Key(address, Map.of()).hashCode());
    step("ConnectionPlanner class init (SecureRandom salt)", () -> Class.forName(ConnectionPlanner.class.getName()));
    step("ServiceLoader: Extensions.installed()", Extensions::installed);
    step("ConnectionPlanner.plan (first)", () -> new ConnectionPlanner(Extensions.installed(),
        new UnknownPropertyReporter()).plan("jdbc:serverless-pg://" + address + "?mode=direct", credentials,
        Environment.system()));
    step("pgjdbc connect + SELECT 1 + close (physical)",
        () -> selectOne(DriverManager.getConnection("jdbc:postgresql://" + address, credentials)));
    // This driver opens its own physical connection below: this step shows what that part costs by itself now.
    step("pgjdbc connect + SELECT 1 + close again (classes loaded)",
        () -> selectOne(DriverManager.getConnection("jdbc:postgresql://" + address, credentials)));
    step("serverless-pg connect + SELECT 1 + close (a physical connect + the rest of its cold path)",
        () -> selectOne(DriverManager.getConnection("jdbc:serverless-pg://" + address + "?mode=direct", credentials)));
    // mode=auto on an endpoint not probed yet: a physical connect, the probe's classes and its one round trip.
    // Compare with the same connect in mode=direct just before it (a new target each, so both open a connection).
    step("serverless-pg connect + SELECT 1 + close, new target, mode=direct (classes loaded)",
        () -> selectOne(DriverManager.getConnection("jdbc:serverless-pg://" + address
            + "?mode=direct&ApplicationName=cold-path-direct", credentials)));
    step("serverless-pg connect + SELECT 1 + close, new target, mode=auto (the probe's classes and round trip)",
        () -> selectOne(DriverManager.getConnection("jdbc:serverless-pg://" + address
            + "?ApplicationName=cold-path-auto", credentials)));
    step("OpenTelemetry API GlobalOpenTelemetry.getOrNoop() (already loaded by the connect above)",
        GlobalOpenTelemetry::getOrNoop);
    System.out.print(REPORT);
  }

  private static void step(String name, Step step) throws Exception {
    long start = System.nanoTime();
    step.run();
    long micros = (System.nanoTime() - start) / 1_000;
    // Numbered so that reports of several runs can be merged in order; no String.format, which would load
    // classes a later step then does not pay for.
    steps++;
    REPORT.append(steps < 10 ? "0" : "").append(steps).append(' ').append(name)
        .append('\t').append(micros).append('\n');
  }

  private static int selectOne(Connection connection) throws Exception {
    try (connection; Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 1")) {
      result.next();
      return result.getInt(1);
    }
  }
}
