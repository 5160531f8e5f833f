package io.github.serverlesspg.routing.platform;

import static io.github.serverlesspg.routing.platform.EnvironmentVariables.hasValue;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.Map;

/** Vercel Functions, from the {@code VERCEL=1} system environment variable. */
public final class VercelDetector implements PlatformDetector {
  @Override
  public String name() {
    return "vercel";
  }

  // https://vercel.com/docs/environment-variables/system-environment-variables
  @Override
  public boolean detect(Map<String, String> environment) {
    return hasValue(environment, "VERCEL", "1");
  }

  @Override
  public String evidence(Map<String, String> environment) {
    return "VERCEL=1";
  }

  /** Vercel Functions run one request per instance at a time (they run on AWS Lambda). */
  @Override
  public boolean servesOneRequestAtATime(Map<String, String> environment) {
    return true;
  }
}
