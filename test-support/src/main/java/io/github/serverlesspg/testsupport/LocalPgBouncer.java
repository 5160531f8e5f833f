package io.github.serverlesspg.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PgBouncer run in the foreground as a child process of the test JVM, so the JVM knows (and only ever kills) its
 * PID. stderr, where a foreground PgBouncer logs, goes to the log file, which also captures config errors.
 */
final class LocalPgBouncer implements ServerControl {

  private static final int PORT_ATTEMPTS = 3;
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

  private final Path executable;
  private final ServerUser user;
  private final Path root;
  private final Path logFile;
  private PgBouncerConfig config;
  private Process process;

  private LocalPgBouncer(Path executable, ServerUser user, Path root, Path logFile) {
    this.executable = executable;
    this.user = user;
    this.root = root;
    this.logFile = logFile;
  }

  static LocalPgBouncer create(Path executable, ServerUser user, PoolMode mode, int backendPort,
      int defaultPoolSize, Credentials credentials, Path logDir) {
    Path root;
    try {
      root = Files.createTempDirectory(Path.of("/tmp"), "spg-pgbouncer-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory for PgBouncer", e);
    }
    LocalPgBouncer bouncer = new LocalPgBouncer(executable, user, root,
        logDir.resolve("pgbouncer-" + mode.configValue() + ".log"));
    try {
      for (int attempt = 1; ; attempt++) {
        bouncer.config = new PgBouncerConfig(mode, "127.0.0.1", Waits.freePort(), "127.0.0.1", backendPort,
            defaultPoolSize, credentials, root.resolve("userlist.txt").toString(),
            root.resolve("pgbouncer.pid").toString());
        bouncer.writeConfig();
        try {
          bouncer.start();
          return bouncer;
        } catch (IllegalStateException e) {
          // another process may have bound the port between picking and binding it
          if (!ServerLogs.tail(bouncer.logFile).contains("Address already in use") || attempt == PORT_ATTEMPTS) {
            throw e;
          }
        }
      }
    } catch (RuntimeException e) {
      bouncer.destroy();
      throw e;
    }
  }

  int port() {
    return config.listenPort();
  }

  Path logFile() {
    return logFile;
  }

  private void writeConfig() {
    try {
      Files.writeString(root.resolve("pgbouncer.ini"), config.ini());
      Files.writeString(root.resolve("userlist.txt"), config.userlist());
      user.handOver(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write PgBouncer config into " + root, e);
    }
  }

  @Override
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process = new ProcessBuilder(user.command(List.of(executable.toString(), root.resolve("pgbouncer.ini")
          .toString())))
          .redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(logFile.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + executable, e);
    }
    Process started = process;
    Waits.until(STARTUP_TIMEOUT, () -> !started.isAlive() || Waits.accepts("127.0.0.1", port()),
        () -> "PgBouncer did not accept connections on port " + port() + "; " + ServerLogs.tail(logFile));
    if (!started.isAlive()) {
      throw new IllegalStateException("PgBouncer exited with code " + started.exitValue() + " on port " + port()
          + "; " + ServerLogs.tail(logFile));
    }
  }

  @Override
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    // SIGTERM is PgBouncer's immediate shutdown; it removes its pidfile and closes the listening socket
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
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
    return "LocalPgBouncer{" + config + ", log=" + logFile + "}";
  }
}
