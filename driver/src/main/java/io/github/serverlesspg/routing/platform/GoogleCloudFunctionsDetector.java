package io.github.serverlesspg.routing.platform;

import static io.github.serverlesspg.routing.platform.EnvironmentVariables.isSet;
import static io.github.serverlesspg.routing.platform.EnvironmentVariables.setOnes;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.Map;

/**
 * Google Cloud Functions (Cloud Run functions), from the variables the functions runtime sets. Functions of the 2nd
 * generation are Cloud Run services and match {@code gcp-cloud-run} as well; {@link GoogleCloudRunDetector} has the
 * lower priority, so this more specific name wins.
 */
public final class GoogleCloudFunctionsDetector implements PlatformDetector {
  @Override
  public String name() {
    return "gcp-cloud-functions";
  }

  // https://cloud.google.com/functions/docs/env-var#newer_runtimes
  @Override
  public boolean detect(Map<String, String> environment) {
    return isSet(environment, "FUNCTION_TARGET")
        || (isSet(environment, "K_SERVICE") && isSet(environment, "FUNCTION_SIGNATURE_TYPE"));
  }

  @Override
  public String evidence(Map<String, String> environment) {
    return setOnes(environment, "FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE", "K_SERVICE", "K_CONFIGURATION");
  }

  /**
   * 1st gen instances serve one request at a time; 2nd gen functions are Cloud Run services (up to 1000 concurrent
   * requests per instance). Cloud Run sets {@code K_CONFIGURATION} in every service, the 1st gen runtime does not
   * (https://cloud.google.com/functions/1stgendocs/configuring/env-var#newer_runtimes).
   */
  @Override
  public boolean servesOneRequestAtATime(Map<String, String> environment) {
    return !isSet(environment, "K_CONFIGURATION");
  }
}
