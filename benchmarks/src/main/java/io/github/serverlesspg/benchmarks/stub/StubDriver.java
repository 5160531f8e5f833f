package io.github.serverlesspg.benchmarks.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * An in-memory {@link Driver} for {@code jdbc:stub:} URLs: no network, no parsing, constant results. It measures
 * what a wrapper adds per JDBC call, which a real round trip's ±5–10 µs of drift would hide. A real {@code Driver}
 * rather than a bare connection, so that URL-based wrappers (OpenTelemetry's {@code jdbc:otel:}) can wrap it too;
 * it is not registered with {@code DriverManager} unless a benchmark does so.
 */
public final class StubDriver implements Driver {
  public static final String URL = "jdbc:stub:";

  @Override
  public Connection connect(String url, Properties info) {
    return acceptsURL(url) ? new StubConnection() : null;
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(URL);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override
  public int getMajorVersion() {
    return 1;
  }

  @Override
  public int getMinorVersion() {
    return 0;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getLogger(StubDriver.class.getPackageName());
  }
}
