package io.github.serverlesspg;

import io.github.serverlesspg.config.ConnectionUrl;
import io.github.serverlesspg.config.ServerlessPgProperty;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import org.postgresql.PGProperty;

/**
 * The {@code jdbc:serverless-pg:} JDBC driver. Registered with {@link DriverManager} when the class loads (through
 * {@code META-INF/services/java.sql.Driver}); loading it starts no thread, opens no socket and looks up no
 * OpenTelemetry instance: all of that waits for the first {@link #connect}.
 *
 * <p>Connections are logical handles over physical pgjdbc connections that stay open process-wide; see
 * {@code docs/} for modes, routing and reuse.
 */
public final class ServerlessPgDriver implements Driver {
  private static final String VERSION = readVersion();

  /** The instance registered with {@link DriverManager}, to deregister it on {@link #shutdown()}. */
  private static final ServerlessPgDriver REGISTERED = new ServerlessPgDriver();

  static {
    try {
      DriverManager.registerDriver(REGISTERED);
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Opens a logical connection, or returns null for URLs of other drivers (as JDBC requires, so that
   * {@code DriverManager} asks the next driver).
   */
  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (url == null) {
      throw io.github.serverlesspg.config.SqlStates.unableToConnect("The JDBC URL is null: pass a URL starting with "
          + ServerlessPgProperty.URL_PREFIX);
    }
    if (!acceptsURL(url)) {
      return null;
    }
    return ConnectionBroker.global().connect(PlanCache.global().target(url, info));
  }

  @Override
  public boolean acceptsURL(String url) {
    return ConnectionUrl.accepts(url);
  }

  /**
   * What the driver will do for this URL and these properties: mode and why, platform, provider, the endpoint it
   * connects to, prepare policy, limits and the URL handed to pgjdbc. Never contains the password. Opens no
   * connection.
   *
   * @throws SQLException as {@link #connect} would for a bad URL or property
   */
  public static String explain(String url, Properties info) throws SQLException {
    if (!ConnectionUrl.accepts(url)) {
      throw io.github.serverlesspg.config.SqlStates.unableToConnect("Not a serverless-pg URL: it must start with "
          + ServerlessPgProperty.URL_PREFIX);
    }
    return PlanCache.global().target(url, info).plan.explain();
  }

  /**
   * The most physical connections the driver opens for this URL and these properties ({@code maxConnections} as
   * the URL, the properties, the platform and the mode resolve it). A pool an application keeps on top of the driver
   * (HikariCP under Spring Boot) is sized with it. Opens no connection.
   *
   * @throws SQLException as {@link #connect} would for a bad URL or property
   */
  public static int maxConnections(String url, Properties info) throws SQLException {
    if (!ConnectionUrl.accepts(url)) {
      throw io.github.serverlesspg.config.SqlStates.unableToConnect("Not a serverless-pg URL: it must start with "
          + ServerlessPgProperty.URL_PREFIX);
    }
    return PlanCache.global().target(url, info).plan.pool().maxConnections();
  }

  /**
   * The OpenTelemetry instance for spans and metrics from now on, instead of the global one
   * ({@code GlobalOpenTelemetry}, once installed); null returns to the global one. Process-wide, like the physical
   * connections it observes.
   */
  public static void setOpenTelemetry(io.opentelemetry.api.OpenTelemetry openTelemetry) {
    io.github.serverlesspg.telemetry.TelemetryProvider.setOpenTelemetry(openTelemetry);
  }

  /**
   * A live health report for the target of this URL and these properties: a {@code SELECT 1} round trip (2 s
   * timeout) over a connection from the driver's pool, the pool's counters and the statement latencies measured
   * in-process. Render it with {@link io.github.serverlesspg.telemetry.HealthSnapshot#toJson()}. A failing
   * database makes the report unhealthy; it never throws for that.
   *
   * @throws SQLException as {@link #connect} would for a bad URL or property
   */
  public static io.github.serverlesspg.telemetry.HealthSnapshot health(String url, Properties info)
      throws SQLException {
    if (!ConnectionUrl.accepts(url)) {
      throw io.github.serverlesspg.config.SqlStates.unableToConnect("Not a serverless-pg URL: it must start with "
          + ServerlessPgProperty.URL_PREFIX);
    }
    return ConnectionBroker.global().health(PlanCache.global().target(url, info));
  }

  /**
   * Closes every physical connection this driver holds, in every pool of the process: idle ones now, lent ones when
   * their logical connections close. For an application that shuts down or redeploys (a webapp reload) without
   * waiting for the JVM's exit; later connects open new pools.
   */
  public static void closeAllPools() {
    ConnectionBroker.global().closeAll();
  }

  /**
   * For an application being undeployed or reloaded in a container: closes every pool (as {@link #closeAllPools()}),
   * removes the JVM exit hook, stops the leak-detection timer thread if it ran, and deregisters the driver from
   * {@link DriverManager}, so that nothing of the driver keeps its class loader reachable. Call it from the
   * application's shutdown (a {@code ServletContextListener}); do not use the driver afterwards.
   */
  public static void shutdown() throws SQLException {
    io.github.serverlesspg.physical.PhysicalConnectionCache.shutdownGlobal();
    io.github.serverlesspg.logical.LeakDetector.stopTimer();
    DriverManager.deregisterDriver(REGISTERED);
  }

  /** Our properties first, then pgjdbc's, with descriptions and allowed values. */
  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    Properties given = new Properties();
    io.github.serverlesspg.config.ParsedUrl parsed = null;
    if (acceptsURL(url)) {
      try {
        parsed = ConnectionUrl.parse(url, io.github.serverlesspg.config.Environment.system());
      } catch (SQLException malformed) {
        // connect reports it; the properties given still describe what is known
      }
    }
    // The precedence of connecting: user info, then Properties, then URL parameters.
    if (parsed != null) {
      given.putAll(parsed.userInfo());
    }
    if (info != null) {
      given.putAll(info);
    }
    if (parsed != null) {
      given.putAll(parsed.parameters());
    }
    List<DriverPropertyInfo> all = new ArrayList<>();
    for (ServerlessPgProperty property : ServerlessPgProperty.values()) {
      all.add(property.toDriverPropertyInfo(given));
    }
    for (PGProperty property : PGProperty.values()) {
      if (!property.getName().startsWith("PG")) {
        DriverPropertyInfo pgInfo = property.toDriverPropertyInfo(given);
        if (io.github.serverlesspg.config.Secrets.isSecret(property.getName())) {
          pgInfo.value = null;
        }
        all.add(pgInfo);
      }
    }
    return all.toArray(new DriverPropertyInfo[0]);
  }

  @Override
  public int getMajorVersion() {
    return parseVersionPart(0);
  }

  @Override
  public int getMinorVersion() {
    return parseVersionPart(1);
  }

  /** The driver's version, as built. */
  public static String version() {
    return VERSION;
  }

  /** Not JDBC compliant in the specification's strict sense, like pgjdbc itself. */
  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getLogger("io.github.serverlesspg");
  }

  private static int parseVersionPart(int index) {
    String[] parts = VERSION.split("[.-]");
    try {
      return parts.length > index ? Integer.parseInt(parts[index]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String readVersion() {
    try (InputStream in = ServerlessPgDriver.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "0.0.0");
    } catch (IOException e) {
      return "0.0.0";
    }
  }
}
