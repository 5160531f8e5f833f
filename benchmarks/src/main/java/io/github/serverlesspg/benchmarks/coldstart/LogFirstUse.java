package io.github.serverlesspg.benchmarks.coldstart;

import io.github.serverlesspg.util.Log;

/**
 * What the driver's logger costs the first time, in a fresh JVM: creating one (what a class pays when it loads),
 * the first level check (where the backend is chosen: SLF4J with a provider, else System.Logger) and the first
 * warning. With the argument {@code slf4j} the same steps go straight to SLF4J, as the driver did before. Prints
 * {@code create check warn} in microseconds; run it in a loop with the class path under test (see
 * docs/benchmarks.md).
 */
public final class LogFirstUse {
  private LogFirstUse() {
  }

  public static void main(String[] args) {
    long start = System.nanoTime();
    long created;
    long checked;
    if (args.length > 0 && args[0].equals("slf4j")) {
      org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(LogFirstUse.class);
      created = System.nanoTime();
      logger.isInfoEnabled();
      checked = System.nanoTime();
      logger.warn("first warning {}", 1);
    } else {
      Log log = Log.of(LogFirstUse.class);
      created = System.nanoTime();
      log.isInfoEnabled();
      checked = System.nanoTime();
      log.warn("first warning {}", 1);
    }
    long warned = System.nanoTime();
    System.out.println((created - start) / 1_000 + " " + (checked - created) / 1_000 + " " + (warned - checked) / 1_000);
  }
}
