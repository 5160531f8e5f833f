package io.github.serverlesspg.spi;

import java.util.Map;

/**
 * Recognizes a serverless or autoscaled platform from the process environment.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.github.serverlesspg.spi.PlatformDetector}. They must be stateless and must only look at
 * the map they are given (never {@link System#getenv()} directly), so that they can be tested and so that the driver
 * controls what they see.
 */
public interface PlatformDetector {

  /** Short lower-case name used in logs, {@code explain} output and telemetry, e.g. {@code aws-lambda}. */
  String name();

  /** Whether the environment shows that the process runs on this platform. */
  boolean detect(Map<String, String> environment);

  /** Detectors with a higher priority are asked first; built-ins use 0 so that user detectors can win. */
  default int priority() {
    return 0;
  }
}
