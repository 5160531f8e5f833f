package io.github.serverlesspg.telemetry;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * INTERIM: a throwaway PostgreSQL 15 with TLS for the telemetry tests, until the shared fixture of the test-support
 * module lands; swap it there in this one place. Runs {@code initdb} and {@code pg_ctl} as user postgres (the tests
 * run as root) in a temporary directory on a free port, trust authentication, a self-signed certificate.
 */
final class InterimPostgres implements AutoCloseable {
  private static final String BIN = "/usr/lib/postgresql/15/bin/";

  private static InterimPostgres shared;

  private final Path dir;
  private final int port;

  private InterimPostgres(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** One server for the whole test JVM, stopped when it exits. */
  static synchronized InterimPostgres shared() throws IOException, InterruptedException {
    if (shared == null) {
      InterimPostgres server = start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.close();
        } catch (IOException | InterruptedException e) {
          // The JVM is exiting; the temporary directory is all that may remain.
        }
      }));
      shared = server;
    }
    return shared;
  }

  static InterimPostgres start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("serverless-pg-telemetry");
    Path data = dir.resolve("data");
    run("chown", "postgres", dir.toString());
    asPostgres(BIN + "initdb", "-D", data.toString(), "--auth=trust", "-U", "postgres", "--no-sync");
    asPostgres("openssl", "req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=localhost",
        "-newkey", "rsa:2048", "-keyout", data.resolve("server.key").toString(),
        "-out", data.resolve("server.crt").toString());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    asPostgres(BIN + "pg_ctl", "-D", data.toString(), "-w", "-l", dir.resolve("log").toString(), "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=localhost -c ssl=on -c fsync=off", "start");
    return new InterimPostgres(dir, port);
  }

  int port() {
    return port;
  }

  /** A serverless-pg URL to database postgres with extra URL parameters, e.g. {@code sslmode=require}. */
  String url(String parameters) {
    return "jdbc:serverless-pg://localhost:" + port + "/postgres?user=postgres&mode=direct"
        + (parameters.isEmpty() ? "" : "&" + parameters);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    asPostgres(BIN + "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "stop");
    run("rm", "-rf", dir.toString());
  }

  private static void asPostgres(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(List.of(command));
    run(full.toArray(new String[0]));
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }
}
