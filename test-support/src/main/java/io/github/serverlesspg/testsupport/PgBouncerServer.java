package io.github.serverlesspg.testsupport;

import java.util.Map;
import java.util.Properties;

/** A running PgBouncer in front of a {@link PostgresServer}, reachable on 127.0.0.1. */
public final class PgBouncerServer {

  private final String host;
  private final int port;
  private final PoolMode poolMode;
  private final PostgresServer backend;
  private final ServerControl control;
  private final PgBouncerAdmin admin;
  private final String description;

  PgBouncerServer(String host, int port, PoolMode poolMode, PostgresServer backend, ServerControl control,
      PgBouncerAdmin admin) {
    this.host = host;
    this.port = port;
    this.poolMode = poolMode;
    this.backend = backend;
    this.control = control;
    this.admin = admin;
    this.description = control.toString();
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public PoolMode poolMode() {
    return poolMode;
  }

  public String user() {
    return backend.user();
  }

  public String password() {
    return backend.password();
  }

  public String database() {
    return backend.database();
  }

  /** user and password as pgjdbc connection properties. */
  public Properties credentials() {
    return backend.credentials();
  }

  /** Plain pgjdbc URL of the test database through this pooler, without credentials. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database();
  }

  /** The PostgreSQL server behind this pooler. */
  public PostgresServer backend() {
    return backend;
  }

  public PgBouncerAdmin admin() {
    return admin;
  }

  /** Physical connections PgBouncer holds to PostgreSQL for the database, in any state (SHOW POOLS sv_*). */
  public int serverConnectionCount(String database) {
    return sumColumns(database, "sv_");
  }

  /** Client connections to the database, active or waiting (SHOW POOLS cl_*). */
  public int clientConnectionCount(String database) {
    return sumColumns(database, "cl_");
  }

  /** Admin RECONNECT: server connections are closed once released, so the next transactions use new ones. */
  public void reconnect() {
    admin.command("RECONNECT");
  }

  /** Admin KILL then RESUME: drops every client and server connection of the database, then accepts new ones. */
  public void kill(String database) {
    admin.command("KILL " + database);
    admin.command("RESUME " + database);
  }

  /** Stops and starts the process again on the same port; all connections through it are lost. */
  public void restart() {
    control.stop();
    control.start();
  }

  public void stop() {
    control.stop();
  }

  /** Starts again after {@link #stop()}, on the same port. */
  public void start() {
    control.start();
  }

  void destroy() {
    control.destroy();
  }

  private int sumColumns(String database, String prefix) {
    // summing by prefix keeps working when PgBouncer versions add states (e.g. sv_active_cancel in 1.18+)
    int sum = 0;
    for (Map<String, String> pool : admin.pools()) {
      if (!database.equals(pool.get("database"))) {
        continue;
      }
      for (Map.Entry<String, String> column : pool.entrySet()) {
        if (column.getKey().startsWith(prefix)) {
          sum += Integer.parseInt(column.getValue());
        }
      }
    }
    return sum;
  }

  @Override
  public String toString() {
    return "PgBouncerServer{" + host + ":" + port + ", mode=" + poolMode + ", " + description + "}";
  }
}
