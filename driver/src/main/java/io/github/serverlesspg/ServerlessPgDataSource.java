package io.github.serverlesspg;

import io.github.serverlesspg.config.ConnectionUrl;
import io.github.serverlesspg.config.Secrets;
import io.github.serverlesspg.config.ServerlessPgProperty;
import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.routing.ExplicitCredentials;
import io.github.serverlesspg.spi.CredentialProvider;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} for frameworks that configure a bean instead of a URL. Its connections are the same logical
 * connections {@link ServerlessPgDriver} returns, over the same process-wide physical connections. The plan is
 * computed once and reused until a setter changes the configuration, so a warm {@link #getConnection()} does no
 * parsing.
 */
public final class ServerlessPgDataSource implements DataSource, AutoCloseable {
  private static final String USER = "user";
  private static final String PASSWORD = "password";

  private volatile String url;
  private final Properties properties = new Properties();
  private volatile String user;
  private volatile boolean userGiven;
  private volatile String password;
  private volatile boolean passwordGiven;
  private volatile CredentialProvider credentialProvider;
  private volatile Target target;
  private volatile PrintWriter logWriter;
  private volatile int loginTimeoutSeconds;

  public ServerlessPgDataSource() {
  }

  /** With {@code prewarm=true} in the URL, the physical connection is opened and validated here; see {@link #warmUp}. */
  public ServerlessPgDataSource(String url) {
    setUrl(url);
    if (url != null && url.toLowerCase(java.util.Locale.ROOT).contains("prewarm")) {
      prewarm();
    }
  }

  /** The {@code jdbc:serverless-pg:} URL. */
  public void setUrl(String url) {
    this.url = url;
    target = null;
  }

  public String getUrl() {
    return url;
  }

  /** Alias of {@link #setUrl} for frameworks that use HikariCP's property name. */
  public void setJdbcUrl(String jdbcUrl) {
    setUrl(jdbcUrl);
  }

  /**
   * The user name; it replaces the URL's (user info or {@code ?user=}), as {@code PGSimpleDataSource}'s does, and
   * null means pgjdbc's default.
   */
  public void setUser(String user) {
    this.user = user;
    this.userGiven = true;
    target = null;
  }

  public String getUser() {
    return user;
  }

  /** Alias of {@link #setUser} ({@code username} in Spring and HikariCP). */
  public void setUsername(String username) {
    setUser(username);
  }

  /** The password; it replaces the URL's, as {@code PGSimpleDataSource}'s does, and null means none. */
  public void setPassword(String password) {
    this.password = password;
    this.passwordGiven = true;
    target = null;
  }

  /**
   * Asks {@code provider} for the password of every new physical connection, at connect time (rotating secrets, IAM
   * tokens); it wins over {@code credentialProvider} and over the URL's password, but not over a password given to
   * {@link #getConnection(String, String)} or {@link #setPassword}. Connections are pooled by the provider instance,
   * never by the password it returns. See {@link CredentialProvider}.
   */
  public void setCredentialProvider(CredentialProvider provider) {
    this.credentialProvider = provider;
    target = null;
  }

  /**
   * Sets one connection property (ours or pgjdbc's); URL parameters still take precedence, except for {@code user}
   * and {@code password}, which are {@link #setUser} and {@link #setPassword}.
   */
  public void setProperty(String name, String value) {
    if (USER.equals(name)) {
      setUser(value);
      return;
    }
    if (PASSWORD.equals(name)) {
      setPassword(value);
      return;
    }
    if (value == null) {
      properties.remove(name);
    } else {
      properties.setProperty(name, value);
    }
    target = null;
  }

  /** Sets several connection properties at once, as {@link #setProperty} would one by one. */
  public void setProperties(Properties more) {
    for (String name : more.stringPropertyNames()) {
      setProperty(name, more.getProperty(name));
    }
  }

  /** Sets one of our properties by its definition. */
  public void setProperty(ServerlessPgProperty property, String value) {
    setProperty(property.propertyName(), value);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return ConnectionBroker.global().connect(target());
  }

  /**
   * A connection as {@code username} with {@code password}, whatever user and password the URL or the setters name
   * (a null password sends none), as {@code PGSimpleDataSource.getConnection(user, password)} does. Physical
   * connections are shared only with connections of the same user and password.
   */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return ConnectionBroker.global().connect(PlanCache.global().target(checkedUrl(), properties,
        ExplicitCredentials.replacing(username, password).withProvider(credentialProvider)));
  }

  /**
   * The OpenTelemetry instance for spans and metrics. Process-wide, as {@link ServerlessPgDriver#setOpenTelemetry}:
   * physical connections are shared by every DataSource of the process, and so is what observes them.
   */
  public void setOpenTelemetry(io.opentelemetry.api.OpenTelemetry openTelemetry) {
    ServerlessPgDriver.setOpenTelemetry(openTelemetry);
  }

  /**
   * Opens this DataSource's physical connection now (unless an idle one is already kept), validates it with a round
   * trip, and keeps it for the next {@link #getConnection()}: synchronously, on the calling thread, starting no
   * thread. Call it during initialization (AWS Lambda's init phase runs with a full CPU, and its time is not part of
   * the first request's latency). Idempotent: a later call only validates the kept connection.
   *
   * @throws SQLException when the connection cannot be opened or does not answer (SQLSTATE 08001)
   */
  public void warmUp() throws SQLException {
    ConnectionBroker.global().warmUp(target());
  }

  /** The {@code prewarm=true} warm-up of the constructor: failures are reported by the first getConnection. */
  private void prewarm() {
    try {
      Target configured = target();
      if (configured.plan.pool().prewarm()) {
        ConnectionBroker.global().warmUp(configured);
      }
    } catch (SQLException | RuntimeException e) {
      io.github.serverlesspg.util.Log.of(ServerlessPgDataSource.class).warn("serverless-pg: prewarm failed (SQLSTATE "
          + "{}); the first getConnection will connect instead", e instanceof SQLException sql ? sql.getSQLState()
          : e.getClass().getName());
    }
  }

  /** A live health report of this DataSource's target; see {@link ServerlessPgDriver#health}. */
  public io.github.serverlesspg.telemetry.HealthSnapshot health() throws SQLException {
    return ConnectionBroker.global().health(target());
  }

  /** What the driver will do with this configuration; see {@link ServerlessPgDriver#explain}. */
  public String explain() throws SQLException {
    return target().plan.explain();
  }

  private Target target() throws SQLException {
    Target current = target;
    if (current == null) {
      boolean anyUser = userGiven;
      boolean anyPassword = passwordGiven;
      CredentialProvider provider = credentialProvider;
      current = PlanCache.global().target(checkedUrl(), properties, !anyUser && !anyPassword && provider == null
          ? null : ExplicitCredentials.overriding(user, anyUser, password, anyPassword).withProvider(provider));
      target = current;
    }
    return current;
  }

  private String checkedUrl() throws SQLException {
    String current = url;
    if (current == null || !ConnectionUrl.accepts(current)) {
      throw SqlStates.unableToConnect("ServerlessPgDataSource needs a URL starting with "
          + ServerlessPgProperty.URL_PREFIX + " (setUrl), got " + (current == null ? "none" : "another scheme"));
    }
    return current;
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeoutSeconds = seconds;
    setProperty("loginTimeout", Integer.toString(seconds));
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return Logger.getLogger("io.github.serverlesspg");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("ServerlessPgDataSource is not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  /**
   * Closes this DataSource's pool: its idle physical connections now, lent ones when their logical connections
   * close. The pool is shared with every DataSource and URL of the same configuration; a later
   * {@link #getConnection()} opens a new one. {@link ServerlessPgDriver#closeAllPools()} closes all of them.
   */
  @Override
  public void close() {
    Target current = target;
    if (current != null) {
      ConnectionBroker.global().close(current);
    }
  }

  /** Not supported: connections are configured by URL and properties. */
  @Override
  public java.sql.ConnectionBuilder createConnectionBuilder() throws SQLException {
    throw new SQLFeatureNotSupportedException("ServerlessPgDataSource has no ConnectionBuilder: use "
        + "getConnection(user, password) or set properties.");
  }

  /** Not supported: PostgreSQL has no sharding keys. */
  @Override
  public java.sql.ShardingKeyBuilder createShardingKeyBuilder() throws SQLException {
    throw new SQLFeatureNotSupportedException("Sharding keys are not supported by PostgreSQL.");
  }

  @Override
  public String toString() {
    return "ServerlessPgDataSource[url=" + Secrets.maskUrl(url) + ", user=" + user + ", properties="
        + Secrets.mask(properties) + "]";
  }
}
