package io.github.serverlesspg.routing.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlatformDetectorsTest {
  static final List<PlatformDetector> DETECTORS = List.of(new AwsLambdaDetector(), new VercelDetector(),
      new RailwayDetector(), new GoogleCloudRunDetector(), new GoogleCloudFunctionsDetector(),
      new AzureFunctionsDetector(), new NetlifyDetector(), new FlyDetector(), new RenderDetector(),
      new KubernetesDetector());

  /** Environments as each platform documents them, and the detector that must win on them. */
  static Stream<Arguments> platformEnvironments() {
    return Stream.of(
        Arguments.of("aws-lambda", Map.of("AWS_LAMBDA_FUNCTION_NAME", "orders", "AWS_REGION", "us-east-1")),
        Arguments.of("aws-lambda", Map.of("AWS_EXECUTION_ENV", "AWS_Lambda_java21")),
        Arguments.of("vercel", Map.of("VERCEL", "1", "VERCEL_ENV", "production")),
        Arguments.of("railway", Map.of("RAILWAY_PROJECT_ID", "5f2c1a7e-0000-4000-8000-000000000000")),
        Arguments.of("railway", Map.of("RAILWAY_ENVIRONMENT", "production")),
        Arguments.of("railway", Map.of("RAILWAY_ENVIRONMENT_ID", "9d0b3c44-0000-4000-8000-000000000000")),
        Arguments.of("gcp-cloud-run", Map.of("K_SERVICE", "orders", "K_REVISION", "orders-00001-abc",
            "K_CONFIGURATION", "orders", "PORT", "8080")),
        Arguments.of("gcp-cloud-run", Map.of("CLOUD_RUN_JOB", "nightly", "CLOUD_RUN_EXECUTION", "nightly-x7k2p",
            "CLOUD_RUN_TASK_INDEX", "0")),
        Arguments.of("gcp-cloud-functions", Map.of("K_SERVICE", "orders", "K_REVISION", "orders-00001-abc",
            "FUNCTION_TARGET", "com.example.Orders", "FUNCTION_SIGNATURE_TYPE", "http")),
        Arguments.of("gcp-cloud-functions", Map.of("FUNCTION_TARGET", "com.example.Orders")),
        Arguments.of("azure-functions", Map.of("FUNCTIONS_WORKER_RUNTIME", "java")),
        Arguments.of("azure-functions", Map.of("WEBSITE_SITE_NAME", "orders-app", "FUNCTIONS_EXTENSION_VERSION", "~4")),
        Arguments.of("netlify", Map.of("NETLIFY", "true")),
        Arguments.of("fly", Map.of("FLY_APP_NAME", "orders", "FLY_MACHINE_ID", "3d8d9e1b", "FLY_REGION", "ams")),
        Arguments.of("render", Map.of("RENDER", "true", "RENDER_SERVICE_ID", "srv-abc")),
        Arguments.of("kubernetes", Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443")),
        // Knative on Kubernetes looks like Cloud Run, and the more specific name wins
        Arguments.of("gcp-cloud-run", Map.of("K_SERVICE", "orders", "K_REVISION", "orders-00001",
            "KUBERNETES_SERVICE_HOST", "10.96.0.1")),
        Arguments.of("fly", Map.of("FLY_APP_NAME", "orders", "KUBERNETES_SERVICE_HOST", "10.96.0.1")));
  }

  @ParameterizedTest
  @MethodSource("platformEnvironments")
  void theFirstDetectorByPriorityToMatchIsThePlatform(String platform, Map<String, String> environment) {
    assertThat(DETECTORS.stream()
        .sorted(Comparator.comparingInt(PlatformDetector::priority).reversed())
        .filter(detector -> detector.detect(environment))
        .findFirst())
        .map(PlatformDetector::name)
        .contains(platform);
  }

  /** Variables that look related but do not mean the platform: wrong values, blanks, or other AWS services. */
  static Stream<Arguments> lookalikeEnvironments() {
    return Stream.of(
        Arguments.of(Map.of("AWS_EXECUTION_ENV", "AWS_ECS_FARGATE", "AWS_REGION", "us-east-1")),
        Arguments.of(Map.of("AWS_LAMBDA_FUNCTION_NAME", " ")),
        Arguments.of(Map.of("VERCEL", "0")),
        Arguments.of(Map.of("VERCEL_URL", "example.vercel.app")),
        Arguments.of(Map.of("NETLIFY", "false")),
        Arguments.of(Map.of("RENDER", "false")),
        Arguments.of(Map.of("K_SERVICE", "orders")),
        Arguments.of(Map.of("WEBSITE_SITE_NAME", "plain-web-app")),
        Arguments.of(Map.of("FLY_APP_NAME", "")),
        Arguments.of(Map.of("RAILWAY_TOKEN", "token")));
  }

  @ParameterizedTest
  @MethodSource("lookalikeEnvironments")
  void lookalikeVariablesDetectNothing(Map<String, String> environment) {
    assertThat(DETECTORS).noneMatch(detector -> detector.detect(environment));
  }

  @Test
  void anEmptyEnvironmentDetectsNothing() {
    assertThat(DETECTORS).noneMatch(detector -> detector.detect(Map.of()));
  }

  @Test
  void aLocalDeveloperShellDetectsNothing() {
    Map<String, String> shell = Map.of("HOME", "/home/dev", "PATH", "/usr/bin:/bin", "SHELL", "/bin/zsh",
        "JAVA_HOME", "/usr/lib/jvm/java-17", "LANG", "en_US.UTF-8", "TERM", "xterm-256color");
    assertThat(DETECTORS).noneMatch(detector -> detector.detect(shell));
  }

  /** One instance, one request at a time: only these get a single connection by default. */
  @ParameterizedTest
  @MethodSource("platformEnvironments")
  void onlyFunctionPlatformsServeOneRequestAtATime(String platform, Map<String, String> environment) {
    PlatformDetector detector = DETECTORS.stream().filter(d -> d.name().equals(platform)).findFirst().orElseThrow();
    boolean single = platform.equals("aws-lambda") || platform.equals("vercel") || platform.equals("netlify")
        || (platform.equals("gcp-cloud-functions") && !environment.containsKey("K_CONFIGURATION"));
    assertThat(detector.servesOneRequestAtATime(environment)).as(platform + " " + environment).isEqualTo(single);
  }

  /** explain() names the variables a platform was detected from; each one is set in the environment. */
  @ParameterizedTest
  @MethodSource("platformEnvironments")
  void evidenceNamesVariablesThatAreSet(String platform, Map<String, String> environment) {
    PlatformDetector detector = DETECTORS.stream().filter(d -> d.name().equals(platform)).findFirst().orElseThrow();
    String evidence = detector.evidence(environment);
    assertThat(evidence).isNotBlank();
    for (String variable : evidence.split(",\\s*")) {
      assertThat(environment).containsKey(variable.contains("=") ? variable.substring(0, variable.indexOf('='))
          : variable);
    }
  }

  @Test
  void cloudFunctionsSecondGenerationIsACloudRunServiceServingManyRequests() {
    Map<String, String> secondGen = Map.of("K_SERVICE", "orders", "K_REVISION", "orders-00001-abc",
        "K_CONFIGURATION", "orders", "FUNCTION_TARGET", "com.example.Orders", "FUNCTION_SIGNATURE_TYPE", "http");
    GoogleCloudFunctionsDetector detector = new GoogleCloudFunctionsDetector();
    assertThat(detector.detect(secondGen)).isTrue();
    assertThat(detector.servesOneRequestAtATime(secondGen)).isFalse();
    assertThat(detector.evidence(secondGen)).contains("K_CONFIGURATION");
  }

  @Test
  void kubernetesHasTheLowestPriority() {
    assertThat(DETECTORS).allSatisfy(detector -> assertThat(new KubernetesDetector().priority())
        .isLessThanOrEqualTo(detector.priority()));
  }

  @Test
  void cloudFunctionsOutranksCloudRun() {
    assertThat(new GoogleCloudFunctionsDetector().priority()).isGreaterThan(new GoogleCloudRunDetector().priority());
  }
}
