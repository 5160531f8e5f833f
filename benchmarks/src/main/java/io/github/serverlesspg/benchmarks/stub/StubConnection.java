package io.github.serverlesspg.benchmarks.stub;

import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Properties;

/**
 * A connection that is always idle in autocommit: statements are created per call, as a real driver does, and
 * transaction ends do nothing.
 */
final class StubConnection extends UnsupportedConnection {
  /**
   * What a wrapper that describes its database from the connection's metadata (the OpenTelemetry JDBC library does,
   * once per connection) reads: a PostgreSQL URL, so that its spans carry the same {@code db.system.name},
   * {@code server.address}, {@code server.port} and {@code db.namespace} as ours. Never on the measured path.
   */
  static final String METADATA_URL = "jdbc:postgresql://stub.invalid:5432/bench";
  /**
   * Keeps the newest statement reachable, as a real driver's connection reaches its statements: otherwise escape
   * analysis removes the unwrapped stub's allocations entirely and the baseline is a no-op no driver achieves.
   */
  private Statement newestStatement;
  private boolean closed;
  private boolean autoCommit = true;

  @Override
  public PreparedStatement prepareStatement(String sql) {
    StubPreparedStatement statement = new StubPreparedStatement(this);
    newestStatement = statement;
    return statement;
  }

  /** Used by a logical connection's reset on close (its {@code ROLLBACK}), never on the measured path. */
  @Override
  public Statement createStatement() {
    return new StubPreparedStatement(this);
  }

  @Override
  public boolean getAutoCommit() {
    return autoCommit;
  }

  @Override
  public void setAutoCommit(boolean autoCommit) {
    this.autoCommit = autoCommit;
  }

  @Override
  public void commit() {
  }

  @Override
  public void rollback() {
  }

  @Override
  public boolean isValid(int timeoutSeconds) {
    return !closed;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }

  /** Answers the URL, the user and the product name; every other metadata call is unsupported. */
  @Override
  public DatabaseMetaData getMetaData() {
    return (DatabaseMetaData) Proxy.newProxyInstance(DatabaseMetaData.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "getURL":
              return METADATA_URL;
            case "getUserName":
              return "bench";
            case "getDatabaseProductName":
              return "PostgreSQL";
            case "getConnection":
              return this;
            default:
              throw Unsupported.method("DatabaseMetaData." + method.getName());
          }
        });
  }

  @Override
  public Properties getClientInfo() {
    return new Properties();
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
