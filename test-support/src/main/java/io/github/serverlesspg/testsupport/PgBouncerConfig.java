package io.github.serverlesspg.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * pgbouncer.ini and userlist.txt for one pooler. The settings mirror a hosted transaction pooler: only
 * extra_float_digits is ignored as a startup parameter (pgjdbc always sends it); search_path and options are
 * deliberately NOT ignored, so a client that sends them fails here just as it would in production.
 */
record PgBouncerConfig(PoolMode mode, String listenAddress, int listenPort, String backendHost, int backendPort,
    int defaultPoolSize, Credentials credentials, String authFile, String pidFile) {

  String ini() {
    List<String> lines = new ArrayList<>(List.of(
        "; written by the serverless-pg test fixture",
        "[databases]",
        "* = host=" + backendHost + " port=" + backendPort,
        "",
        "[pgbouncer]",
        "listen_addr = " + listenAddress,
        "listen_port = " + listenPort,
        "unix_socket_dir =",
        "auth_type = scram-sha-256",
        "auth_file = " + authFile,
        "admin_users = " + credentials.user(),
        "pool_mode = " + mode.configValue(),
        "default_pool_size = " + defaultPoolSize,
        "max_client_conn = 500",
        "ignore_startup_parameters = extra_float_digits",
        "server_tls_sslmode = prefer",
        // logs go to stderr, which the owner of the process captures
        "logfile =",
        "log_connections = 1",
        "log_disconnections = 1"));
    if (pidFile != null) {
      lines.add("pidfile = " + pidFile);
    }
    lines.add("");
    return String.join("\n", lines);
  }

  String userlist() {
    // plain-text password: lets PgBouncer do SCRAM both towards clients and towards PostgreSQL
    return "\"" + credentials.user() + "\" \"" + credentials.password() + "\"\n";
  }

  @Override
  public String toString() {
    return "PgBouncerConfig{mode=" + mode + ", listen=" + listenAddress + ":" + listenPort + ", backend="
        + backendHost + ":" + backendPort + ", defaultPoolSize=" + defaultPoolSize + "}";
  }
}
