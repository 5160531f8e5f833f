package io.github.serverlesspg.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** A PostgreSQL cluster created with initdb in a temp directory and run with pg_ctl as the server user. */
final class LocalPostgres implements ServerControl {

  private static final int PORT_ATTEMPTS = 3;

  private final ServerBinaries binaries;
  private final ServerUser user;
  private final Path root;
  private final Path dataDir;
  private final Path logFile;
  private final boolean tls;
  private int port;
  private boolean running;

  private LocalPostgres(ServerBinaries binaries, ServerUser user, Path root, Path logFile, boolean tls) {
    this.binaries = binaries;
    this.user = user;
    this.root = root;
    this.dataDir = root.resolve("data");
    this.logFile = logFile;
    this.tls = tls;
  }

  /** Creates the cluster and starts it on a free port. */
  static LocalPostgres create(ServerBinaries binaries, ServerUser user, Credentials credentials, int maxConnections,
      Path logDir) {
    Path root = createRoot();
    LocalPostgres server =
        new LocalPostgres(binaries, user, root, logDir.resolve("postgres.log"), binaries.openssl().isPresent());
    try {
      server.initdb(credentials, maxConnections);
      server.startOnFreePort();
      return server;
    } catch (RuntimeException e) {
      server.destroy();
      throw e;
    }
  }

  int port() {
    return port;
  }

  boolean tlsEnabled() {
    return tls;
  }

  Path logFile() {
    return logFile;
  }

  private static Path createRoot() {
    try {
      // short path: the unix socket lives here and socket paths are limited to ~107 bytes
      return Files.createTempDirectory(Path.of("/tmp"), "spg-pg-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory for PostgreSQL", e);
    }
  }

  private void initdb(Credentials credentials, int maxConnections) {
    Path pwfile = root.resolve("pwfile");
    try {
      Files.createDirectories(root.resolve("sock"));
      Files.writeString(pwfile, credentials.password());
      Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
      if (tls) {
        generateCertificate();
      }
      user.handOver(root);
      Commands.run(user.command(List.of(binaries.initdb().toString(), "-D", dataDir.toString(),
          "-U", credentials.user(), "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8",
          "--locale=C", "--no-sync")));
      Files.delete(pwfile);
      Files.writeString(dataDir.resolve("postgresql.conf"), settings(maxConnections), StandardOpenOption.APPEND);
      Files.writeString(dataDir.resolve("pg_hba.conf"), String.join("\n",
          "# written by the serverless-pg test fixture",
          "local all all scram-sha-256",
          "hostssl all all 127.0.0.1/32 scram-sha-256",
          "host all all 127.0.0.1/32 scram-sha-256",
          ""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the PostgreSQL data directory " + dataDir, e);
    }
  }

  private void generateCertificate() throws IOException {
    Path key = root.resolve("server.key");
    Commands.run(List.of(binaries.openssl().orElseThrow().toString(), "req", "-x509", "-newkey", "rsa:2048",
        "-nodes", "-subj", "/CN=localhost", "-days", "2",
        "-keyout", key.toString(), "-out", root.resolve("server.crt").toString()));
    // PostgreSQL refuses a private key that others can read
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
  }

  private String settings(int maxConnections) {
    List<String> lines = new ArrayList<>(List.of(
        "",
        "# written by the serverless-pg test fixture",
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = '" + root.resolve("sock") + "'",
        "max_connections = " + maxConnections,
        "password_encryption = 'scram-sha-256'",
        // test data is disposable; durability only costs time
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "log_connections = on",
        "log_disconnections = on",
        "log_line_prefix = '%m [%p] %q%u@%d/%a '"));
    if (tls) {
      lines.add("ssl = on");
      lines.add("ssl_cert_file = '" + root.resolve("server.crt") + "'");
      lines.add("ssl_key_file = '" + root.resolve("server.key") + "'");
    }
    lines.add("");
    return String.join("\n", lines);
  }

  private void startOnFreePort() {
    for (int attempt = 1; ; attempt++) {
      port = Waits.freePort();
      try {
        start();
        return;
      } catch (IllegalStateException e) {
        // the port was free when picked but another process may have bound it before PostgreSQL did
        boolean portTaken = ServerLogs.tail(logFile).contains("could not bind");
        if (!portTaken || attempt == PORT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  @Override
  public void start() {
    if (running) {
      return;
    }
    try {
      Commands.run(user.command(List.of(binaries.pgCtl().toString(), "-D", dataDir.toString(), "-l",
          logFile.toString(), "-o", "-p " + port, "-w", "-t", "60", "start")));
    } catch (IllegalStateException e) {
      throw new IllegalStateException("PostgreSQL did not start on port " + port + "; " + ServerLogs.tail(logFile), e);
    }
    running = true;
  }

  @Override
  public void stop() {
    if (!running) {
      return;
    }
    Commands.run(user.command(List.of(binaries.pgCtl().toString(), "-D", dataDir.toString(), "-m", "fast", "-w",
        "-t", "60", "stop")));
    running = false;
  }

  @Override
  public void destroy() {
    try {
      stop();
    } finally {
      ServerLogs.deleteTree(root);
    }
  }

  @Override
  public String toString() {
    return "LocalPostgres{port=" + port + ", data=" + dataDir + ", log=" + logFile + "}";
  }
}
