package io.github.serverlesspg.physical;

import io.github.serverlesspg.config.Secrets;
import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.routing.CredentialSource;
import io.github.serverlesspg.spi.ConnectionMode;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens physical connections with pgjdbc's driver class directly, never through {@code DriverManager}, so that the
 * result does not depend on driver registration order and the plan's URL reaches pgjdbc exactly.
 *
 * <p>Every connect is bounded, on the calling thread: pgjdbc bounds the TCP connect and the TLS handshake by
 * {@code connectTimeout} (10 s by default), but with {@code socketTimeout} unset (its default) a server that accepts
 * and never answers blocks the startup and authentication forever, and the answer to the TLS request waits
 * {@code sslResponseTimeout} (5 s) whatever {@code connectTimeout} says. So unless the application set them, the
 * connect runs with {@code socketTimeout} and {@code sslResponseTimeout} equal to {@code connectTimeout}, and the
 * socket timeout goes back to none once the connection is open. pgjdbc's {@code loginTimeout}, which abandons a thread
 * and a socket per attempt, is not needed for this and is never set by the driver.
 *
 * <p>An interrupt aborts the connect: unless the application set its own {@code socketFactory}, pgjdbc's sockets
 * come from {@link LoginSocketFactory}, whose reads during the login give up when the thread is interrupted (see
 * {@link LoginSocket}); the failure is then reported as 08001 with the {@link InterruptedIOException} as its cause,
 * the interrupt status kept, and never retried.
 */
public final class PgjdbcConnector implements Connector {
  private static final org.postgresql.Driver PGJDBC = new org.postgresql.Driver();

  private static final String CONNECT_TIMEOUT = "connectTimeout";
  private static final String SOCKET_TIMEOUT = "socketTimeout";
  private static final String SSL_RESPONSE_TIMEOUT = "sslResponseTimeout";
  private static final String SOCKET_FACTORY = "socketFactory";
  /** pgjdbc's default {@code connectTimeout}, in seconds; also the bound when it is 0 (which pgjdbc means as none). */
  private static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

  private final String url;
  private final Properties properties;
  private final String sessionSchema;
  /** Whether the connect runs with a socket timeout the driver set, to be removed once connected. */
  private final boolean boundedByDriver;
  private final CredentialSource credentials;

  public PgjdbcConnector(ConnectionPlan plan) {
    this(plan, java.util.Map.of());
  }

  /**
   * @param extraProperties pgjdbc properties added to the plan's for opening only (telemetry's timing socket
   *     factories); they do not change which connections are interchangeable
   */
  public PgjdbcConnector(ConnectionPlan plan, java.util.Map<String, String> extraProperties) {
    this.url = plan.pgjdbcUrl();
    this.properties = plan.pgjdbcProperties();
    this.properties.putAll(extraProperties);
    this.boundedByDriver = boundConnect(url, properties);
    interruptibleLogin(url, properties);
    // In session mode the schema cannot go in the startup packet (poolers reject search_path there) but may be
    // set once per physical connection, because the session is this connection's own.
    this.sessionSchema = plan.mode() == ConnectionMode.SESSION ? plan.initialSchema() : null;
    this.credentials = plan.credentialSource();
  }

  @Override
  public Connection open() throws SQLException {
    Connection connection;
    try (LoginScope login = LoginScope.begin()) {
      connection = credentials == null ? connect(properties, properties.getProperty("password"))
          : connectWithProvidedPassword();
      if (connection == null) {
        throw SqlStates.unableToConnect("pgjdbc did not accept the URL " + url);
      }
      if (sessionSchema != null) {
        // Part of opening: still under the connect bound, and aborted by an interrupt like the login.
        try {
          connection.setSchema(sessionSchema);
        } catch (SQLException | RuntimeException e) {
          connection.close();
          throw e;
        }
      }
    } catch (SQLException | RuntimeException e) {
      InterruptedIOException interrupt = interruptIn(e);
      if (interrupt != null && Thread.currentThread().isInterrupted()) {
        throw interrupted(interrupt, e);
      }
      throw e;
    }
    if (boundedByDriver) {
      try {
        connection.setNetworkTimeout(DirectExecutor.INSTANCE, 0); // as the application configured it: none
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
    }
    return connection;
  }

  private Connection connect(Properties with, String password) throws SQLException {
    try {
      return PGJDBC.connect(url, with);
    } catch (SQLException e) {
      throw redacted(e, password);
    }
  }

  /**
   * Asks the credential provider for the password at connect time; when the server refuses it, the provider may have
   * returned a cached value from before a rotation, so it is told and asked once more.
   */
  private Connection connectWithProvidedPassword() throws SQLException {
    Properties attempt = new Properties();
    attempt.putAll(properties);
    String password = credentials.password();
    attempt.setProperty("password", password);
    try {
      return connect(attempt, password);
    } catch (SQLException refused) {
      if (!CredentialSource.isAuthenticationFailure(refused)) {
        throw refused;
      }
      credentials.refused();
      String fresh = credentials.password();
      attempt.setProperty("password", fresh);
      return connect(attempt, fresh);
    }
  }

  /**
   * Adds the connect bound to {@code properties} where neither the URL nor the properties set it; returns whether a
   * socket timeout was added (to be removed after connecting).
   */
  private static boolean boundConnect(String url, Properties properties) {
    Properties effective = org.postgresql.Driver.parseURL(url, properties);
    if (effective == null) {
      return false; // not a URL pgjdbc accepts: open() reports it
    }
    int seconds = intOr(effective.getProperty(CONNECT_TIMEOUT), DEFAULT_CONNECT_TIMEOUT_SECONDS);
    if (seconds <= 0) {
      seconds = DEFAULT_CONNECT_TIMEOUT_SECONDS;
    }
    if (effective.getProperty(SSL_RESPONSE_TIMEOUT) == null) {
      properties.setProperty(SSL_RESPONSE_TIMEOUT, Long.toString(Math.min(5_000L, seconds * 1_000L)));
    }
    if (intOr(effective.getProperty(SOCKET_TIMEOUT), 0) > 0) {
      return false; // the application's own bound applies to the connect as to everything else
    }
    if (effective.getProperty(SOCKET_TIMEOUT) != null) {
      // Explicitly 0 ("none"): the URL wins over properties in pgjdbc, so only a property can be overridden.
      if (properties.getProperty(SOCKET_TIMEOUT) == null) {
        return false;
      }
    }
    properties.setProperty(SOCKET_TIMEOUT, Integer.toString(seconds));
    return true;
  }

  /**
   * Makes pgjdbc's sockets {@link LoginSocket}s unless the application chose a {@code socketFactory} (or telemetry
   * set its subclass): the application's factory owns its sockets, and an interrupt then waits for the connect bound.
   * pgjdbc loads the factory by name with its own class loader, so where that loader cannot see this driver's class
   * (pgjdbc in a container's shared library, the driver in the application) the factory is left alone as well.
   */
  private static void interruptibleLogin(String url, Properties properties) {
    Properties effective = org.postgresql.Driver.parseURL(url, properties);
    if (effective == null || effective.getProperty(SOCKET_FACTORY) != null) {
      return;
    }
    try {
      if (Class.forName(LoginSocketFactory.class.getName(), false, org.postgresql.Driver.class.getClassLoader())
          == LoginSocketFactory.class) {
        properties.setProperty(SOCKET_FACTORY, LoginSocketFactory.class.getName());
      }
    } catch (ClassNotFoundException | LinkageError notVisible) {
      // pgjdbc's default sockets: the connect bound still applies.
    }
  }

  /** The interrupt a {@link LoginSocket} reported in {@code failure}'s causes (not a read timeout), or null. */
  private static InterruptedIOException interruptIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)) {
        return (InterruptedIOException) t;
      }
    }
    return null;
  }

  /** A connect that failed because the thread was interrupted: 08001 with the interrupt's I/O exception as cause. */
  private SQLException interrupted(InterruptedIOException interrupt, Exception failure) {
    SQLException e = SqlStates.unableToConnect("Interrupted while connecting to " + endpointOf(url)
        + ": the connect attempt was abandoned and its socket closed (the thread's interrupt status is kept).",
        interrupt);
    e.addSuppressed(failure);
    return e;
  }

  /** The URL without its parameters (which may hold secrets): {@code jdbc:postgresql://host:port/db}. */
  private static String endpointOf(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private static int intOr(String text, int fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return fallback; // pgjdbc reports it
    }
  }

  /** Runs on the calling thread; pgjdbc's setNetworkTimeout does not use its executor. */
  private static final class DirectExecutor implements java.util.concurrent.Executor {
    static final DirectExecutor INSTANCE = new DirectExecutor();

    @Override
    public void execute(Runnable command) {
      command.run();
    }
  }

  /** pgjdbc's messages do not quote passwords today; this keeps it so if a future version did. */
  private static SQLException redacted(SQLException e, String password) {
    String message = e.getMessage();
    if (password == null || password.isEmpty() || message == null || !message.contains(password)) {
      return e;
    }
    SQLException copy = new SQLException(Secrets.redact(message, password), e.getSQLState(), e.getErrorCode());
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }
}
