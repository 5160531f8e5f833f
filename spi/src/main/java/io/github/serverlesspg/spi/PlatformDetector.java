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

  /**
   * The environment variables that showed the platform, as {@code explain} names them (for example
   * {@code AWS_LAMBDA_FUNCTION_NAME}), or null when the detector does not say. Only called when {@link #detect}
   * returned true for the same map.
   */
  default String evidence(Map<String, String> environment) {
    return null;
  }

  /**
   * Whether one instance of this platform serves one request at a time (AWS Lambda, Vercel and Netlify functions,
   * Cloud Functions 1st gen). Such processes get at most one physical connection by default; platforms where one
   * instance serves many requests at once (containers, Cloud Run, Kubernetes) get a pool sized for concurrency.
   * {@code false} unless the platform is known to be single-request: a pool larger than needed costs nothing (it
   * opens connections on demand), one too small serialises every request.
   */
  default boolean servesOneRequestAtATime(Map<String, String> environment) {
    return false;
  }

  /** Detectors with a higher priority are asked first; built-ins use 0 so that user detectors can win. */
  default int priority() {
    return 0;
  }
}
