package io.github.serverlesspg.routing.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** No detector fires on variables that no platform documents. */
class PlatformDetectorPropertyTest {
  /** Every variable name a built-in detector reads. */
  private static final Set<String> PLATFORM_VARIABLES = Set.of("AWS_LAMBDA_FUNCTION_NAME", "AWS_EXECUTION_ENV",
      "VERCEL", "RAILWAY_PROJECT_ID", "RAILWAY_ENVIRONMENT_ID", "RAILWAY_ENVIRONMENT", "K_SERVICE", "K_REVISION",
      "CLOUD_RUN_JOB", "FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE", "FUNCTIONS_WORKER_RUNTIME", "WEBSITE_SITE_NAME",
      "FUNCTIONS_EXTENSION_VERSION", "NETLIFY", "FLY_APP_NAME", "RENDER", "KUBERNETES_SERVICE_HOST");

  @Property
  void unrelatedVariablesDetectNothing(@ForAll("unrelatedEnvironments") Map<String, String> environment) {
    assertThat(PlatformDetectorsTest.DETECTORS).noneMatch(detector -> detector.detect(environment));
  }

  @Property
  void blankPlatformVariablesDetectNothing(@ForAll("blankPlatformEnvironments") Map<String, String> environment) {
    assertThat(PlatformDetectorsTest.DETECTORS).noneMatch(detector -> detector.detect(environment));
  }

  @Provide
  Arbitrary<Map<String, String>> unrelatedEnvironments() {
    Arbitrary<String> names = Arbitraries.strings().withCharRange('A', 'Z').withChars('_').numeric()
        .ofMinLength(1).ofMaxLength(24)
        .filter(name -> !PLATFORM_VARIABLES.contains(name));
    return Arbitraries.maps(names, Arbitraries.strings().ofMaxLength(16)).ofMaxSize(12);
  }

  @Provide
  Arbitrary<Map<String, String>> blankPlatformEnvironments() {
    return Arbitraries.maps(Arbitraries.of(PLATFORM_VARIABLES), Arbitraries.of("", " ", "\t")).ofMaxSize(8);
  }
}
