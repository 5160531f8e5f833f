package io.github.serverlesspg.routing.platform;

import static io.github.serverlesspg.routing.platform.EnvironmentVariables.hasValue;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.Map;

/**
 * Netlify, from the read-only {@code NETLIFY=true} variable. Netlify Functions run on AWS Lambda, so the {@code aws-
 * lambda} detector also sees them.
 */
public final class NetlifyDetector implements PlatformDetector {
  @Override
  public String name() {
    return "netlify";
  }

  // https://docs.netlify.com/configure-builds/environment-variables/#read-only-variables
  @Override
  public boolean detect(Map<String, String> environment) {
    return hasValue(environment, "NETLIFY", "true");
  }

  @Override
  public String evidence(Map<String, String> environment) {
    return "NETLIFY=true";
  }

  /** Netlify Functions run on AWS Lambda: one request per instance at a time. */
  @Override
  public boolean servesOneRequestAtATime(Map<String, String> environment) {
    return true;
  }
}
