package io.github.serverlesspg.routing.platform;

import static io.github.serverlesspg.routing.platform.EnvironmentVariables.isSet;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.Map;

/**
 * Kubernetes pods, from {@code KUBERNETES_SERVICE_HOST}, which the kubelet sets in every container (also with
 * {@code enableServiceLinks: false}, which drops only the variables of other services). A pod usually serves many requests at once and scales
 * out with a HorizontalPodAutoscaler, so it gets a pool, not a single connection; whether the database endpoint (a
 * PgBouncer {@code Service}, say) is a pooler is left to the probe.
 */
public final class KubernetesDetector implements PlatformDetector {
  @Override
  public String name() {
    return "kubernetes";
  }

  // https://kubernetes.io/docs/concepts/services-networking/service/#environment-variables
  @Override
  public boolean detect(Map<String, String> environment) {
    return isSet(environment, "KUBERNETES_SERVICE_HOST");
  }

  @Override
  public String evidence(Map<String, String> environment) {
    return "KUBERNETES_SERVICE_HOST";
  }

  /**
   * Below every other built-in: platforms built on Kubernetes (Knative, say) set this variable too, and their own
   * detector says more.
   */
  @Override
  public int priority() {
    return -2;
  }
}
