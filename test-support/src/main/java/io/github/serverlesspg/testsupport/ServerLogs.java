package io.github.serverlesspg.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Server logs live under {@code target/servers} of the module whose tests run (the test JVM's working directory),
 * so they survive the run for debugging while temp data directories are deleted.
 */
final class ServerLogs {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private ServerLogs() {}

  static Path newRunDirectory() {
    String name = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        + "-pid" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    Path dir = Path.of("target", "servers", name).toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create log directory " + dir, e);
    }
    return dir;
  }

  /** The last lines of a log, for exception messages. */
  static String tail(Path log) {
    try {
      if (!Files.exists(log)) {
        return "(no log at " + log + ")";
      }
      String text = Files.readString(log);
      int from = Math.max(0, text.length() - 4000);
      return "last lines of " + log + ":\n" + text.substring(from);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
