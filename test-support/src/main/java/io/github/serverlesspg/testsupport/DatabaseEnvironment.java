package io.github.serverlesspg.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;

/**
 * A real PostgreSQL plus a transaction-mode and a session-mode PgBouncer in front of it. Servers run locally
 * when the binaries are installed, else in Docker via Testcontainers; when neither works the environment fails
 * to start (tests needing a database must never be skipped).
 */
public final class DatabaseEnvironment implements AutoCloseable {

  public static final int DEFAULT_MAX_CONNECTIONS = 30;
  public static final int DEFAULT_POOL_SIZE = 10;
  static final String USER = "spg";
  static final String DATABASE = "app";

  private static DatabaseEnvironment shared;
  private static RuntimeException sharedFailure;

  private final PostgresServer postgres;
  private final PgBouncerServer transactionPooler;
  private final PgBouncerServer sessionPooler;
  private final Path logDirectory;
  private final Thread shutdownHook;
  private boolean closed;

  DatabaseEnvironment(PostgresServer postgres, PgBouncerServer transactionPooler, PgBouncerServer sessionPooler,
      Path logDirectory) {
    this.postgres = postgres;
    this.transactionPooler = transactionPooler;
    this.sessionPooler = sessionPooler;
    this.logDirectory = logDirectory;
    // also covers dedicated environments a test forgot to close: no server may outlive the test JVM
    this.shutdownHook = new Thread(this::stopServers, "serverless-pg-test-servers-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * The environment shared by all tests of this JVM (default settings), started on first use and stopped by a
   * shutdown hook. A startup failure is remembered and rethrown, so later test classes fail fast with the cause.
   */
  public static synchronized DatabaseEnvironment shared() {
    if (sharedFailure != null) {
      throw new IllegalStateException("the shared database environment failed to start earlier", sharedFailure);
    }
    if (shared == null) {
      try {
        shared = builder().build();
      } catch (RuntimeException e) {
        sharedFailure = e;
        throw e;
      }
    }
    return shared;
  }

  /** A dedicated environment, e.g. with a small {@code max_connections}; the caller closes it. */
  public static Builder builder() {
    return new Builder();
  }

  public PostgresServer postgres() {
    return postgres;
  }

  public PgBouncerServer transactionPooler() {
    return transactionPooler;
  }

  public PgBouncerServer sessionPooler() {
    return sessionPooler;
  }

  public PgBouncerServer pooler(PoolMode mode) {
    return mode == PoolMode.TRANSACTION ? transactionPooler : sessionPooler;
  }

  /** Where the server logs of this environment are kept. */
  public Path logDirectory() {
    return logDirectory;
  }

  /** Stops the servers and deletes their data; logs are kept. Closing the shared environment is not allowed. */
  @Override
  public void close() {
    if (this == sharedInstance()) {
      throw new IllegalStateException("the shared environment is stopped by a shutdown hook, not by tests");
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to run; stopServers is idempotent
    }
    stopServers();
  }

  private static synchronized DatabaseEnvironment sharedInstance() {
    return shared;
  }

  private synchronized void stopServers() {
    if (closed) {
      return;
    }
    closed = true;
    List<RuntimeException> failures = new ArrayList<>();
    for (Runnable stop : List.<Runnable>of(sessionPooler::destroy, transactionPooler::destroy, postgres::destroy)) {
      try {
        stop.run();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException failure = new IllegalStateException("could not stop all test servers; logs in " + logDirectory);
      failures.forEach(failure::addSuppressed);
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "DatabaseEnvironment{" + postgres + ", " + transactionPooler + ", " + sessionPooler + ", logs="
        + logDirectory + "}";
  }

  /** Settings of a dedicated environment. */
  public static final class Builder {

    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int defaultPoolSize = DEFAULT_POOL_SIZE;

    private Builder() {}

    /** PostgreSQL {@code max_connections}. */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    /** PgBouncer {@code default_pool_size} of both poolers. */
    public Builder defaultPoolSize(int defaultPoolSize) {
      this.defaultPoolSize = defaultPoolSize;
      return this;
    }

    public DatabaseEnvironment build() {
      ServerBinaries binaries = ServerBinaries.detect();
      Credentials credentials = Credentials.generate(USER, DATABASE);
      if (binaries.missing().isEmpty()) {
        return startLocal(binaries, credentials);
      }
      if (dockerAvailable()) {
        return ContainerServers.start(credentials, maxConnections, defaultPoolSize,
            ServerLogs.newRunDirectory());
      }
      throw new IllegalStateException("The tests need a real PostgreSQL and PgBouncer, but " + binaries.missing()
          + " not found (" + binaries + ") and no Docker engine is reachable: " + ServerBinaries.INSTALL_HINT);
    }

    private DatabaseEnvironment startLocal(ServerBinaries binaries, Credentials credentials) {
      ServerUser user = ServerUser.current();
      Path logDir = ServerLogs.newRunDirectory();
      // the servers write their logs into it themselves
      user.handOver(logDir);
      List<Runnable> started = new ArrayList<>();
      // Until the environment exists and its own shutdown hook takes over, this one stops what already runs: the
      // PostgreSQL server runs in a session of its own, so Ctrl-C during startup (the CLI's demo) would leave it.
      Thread startupHook = new Thread(() -> stopAll(started, null), "serverless-pg-test-servers-startup-shutdown");
      Runtime.getRuntime().addShutdownHook(startupHook);
      try {
        LocalPostgres local = LocalPostgres.create(binaries, user, credentials, maxConnections, logDir);
        PostgresServer postgres =
            new PostgresServer("127.0.0.1", local.port(), credentials, local.tlsEnabled(), local);
        add(started, postgres::destroy);
        createDatabase(postgres);
        PgBouncerServer transaction =
            startLocalPooler(binaries, user, postgres, credentials, PoolMode.TRANSACTION, logDir);
        add(started, transaction::destroy);
        PgBouncerServer session = startLocalPooler(binaries, user, postgres, credentials, PoolMode.SESSION, logDir);
        add(started, session::destroy);
        DatabaseEnvironment environment = new DatabaseEnvironment(postgres, transaction, session, logDir);
        synchronized (started) {
          started.clear();
        }
        removeQuietly(startupHook);
        return environment;
      } catch (RuntimeException e) {
        removeQuietly(startupHook);
        stopAll(started, e);
        throw new IllegalStateException("could not start the test servers; logs in " + logDir, e);
      }
    }

    private static void add(List<Runnable> started, Runnable stop) {
      synchronized (started) {
        started.add(stop);
      }
    }

    /**
     * Stops the started servers, last first. Safe to run from the startup hook and the failing startup at once: each
     * server is taken off the list before it is stopped, so none is stopped twice. Failures are added to
     * {@code failure}, or dropped when there is none (a shutdown hook has nobody to report to).
     */
    private static void stopAll(List<Runnable> started, RuntimeException failure) {
      while (true) {
        Runnable stop;
        synchronized (started) {
          if (started.isEmpty()) {
            return;
          }
          stop = started.remove(started.size() - 1);
        }
        try {
          stop.run();
        } catch (RuntimeException cleanup) {
          if (failure != null) {
            failure.addSuppressed(cleanup);
          }
        }
      }
    }

    private static void removeQuietly(Thread hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to run; it finds the list empty or stops what is left
      }
    }

    private PgBouncerServer startLocalPooler(ServerBinaries binaries, ServerUser user, PostgresServer postgres,
        Credentials credentials, PoolMode mode, Path logDir) {
      Path psql = binaries.psql().orElseThrow(() -> new IllegalStateException(
          "psql (for the PgBouncer admin console) not found; " + ServerBinaries.INSTALL_HINT));
      LocalPgBouncer local = LocalPgBouncer.create(binaries.pgbouncer().orElseThrow(), user, mode, postgres.port(),
          defaultPoolSize, credentials, logDir);
      PgBouncerAdmin admin = new PgBouncerAdmin((arguments, environment) -> Commands.run(
          concat(psql.toString(), arguments), environment), "127.0.0.1", local.port(), credentials);
      return new PgBouncerServer("127.0.0.1", local.port(), mode, postgres, local, admin);
    }

    private static List<String> concat(String first, List<String> rest) {
      List<String> all = new ArrayList<>(List.of(first));
      all.addAll(rest);
      return all;
    }

    private static void createDatabase(PostgresServer postgres) {
      String url = "jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/postgres";
      try (Connection connection = DriverManager.getConnection(url, postgres.credentials());
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE " + postgres.database());
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create database " + postgres.database() + " in " + postgres, e);
      }
    }

    private static boolean dockerAvailable() {
      try {
        return DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        return false;
      }
    }
  }
}
