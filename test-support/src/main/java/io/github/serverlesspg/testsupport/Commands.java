package io.github.serverlesspg.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs short-lived external commands (initdb, pg_ctl, openssl) and returns their output. */
final class Commands {

  private static final long TIMEOUT_SECONDS = 120;

  private Commands() {}

  /**
   * Runs the command to completion and returns stdout+stderr. Callers never put secrets on a command line,
   * so the command and its output are safe to include in the exception message.
   */
  static String run(List<String> command) {
    return run(command, Map.of());
  }

  /** As {@link #run(List)}, with extra environment variables, which is where secrets such as PGPASSWORD go. */
  static String run(List<String> command, Map<String, String> environment) {
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    }
    try {
      process.getOutputStream().close();
      // read before waiting: a full pipe would block the child forever
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out after " + TIMEOUT_SECONDS + " s: " + command + "\n" + output);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "exit code " + process.exitValue() + " from " + command + "\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read output of " + command, e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }
}
