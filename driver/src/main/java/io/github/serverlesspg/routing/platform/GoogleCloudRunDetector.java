package io.github.serverlesspg.routing.platform;

import static io.github.serverlesspg.routing.platform.EnvironmentVariables.isSet;
import static io.github.serverlesspg.routing.platform.EnvironmentVariables.setOnes;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.Map;

/**
 * Google Cloud Run services ({@code K_SERVICE} and {@code K_REVISION}) and jobs ({@code CLOUD_RUN_JOB}), from the
 * container runtime contract.
 */
public final class GoogleCloudRunDetector implements PlatformDetector {
  @Override
  public String name() {
    return "gcp-cloud-run";
  }

  // https://cloud.google.com/run/docs/container-contract#env-vars
  @Override
  public boolean detect(Map<String, String> environment) {
    return (isSet(environment, "K_SERVICE") && isSet(environment, "K_REVISION")) || isSet(environment, "CLOUD_RUN_JOB");
  }

  @Override
  public String evidence(Map<String, String> environment) {
    return setOnes(environment, "K_SERVICE", "K_REVISION", "CLOUD_RUN_JOB");
  }

  /** Below the other built-ins so that {@code gcp-cloud-functions}, which runs on Cloud Run, wins when both match. */
  @Override
  public int priority() {
    return -1;
  }
}
