package io.github.serverlesspg.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Looking for the global instance never installs one. The compatibility tests (compat-tests/) run the same
 * behaviour end to end on the oldest API, where the look-up reads the field instead of {@code isSet()}.
 */
class GlobalInstanceTest {
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().build();

  @AfterEach
  void reset() {
    GlobalOpenTelemetry.resetForTest();
    sdk.close();
  }

  @Test
  void findsNothingAndInstallsNothingUntilTheApplicationInstallsAnInstance() {
    assertThat(GlobalInstance.probeName()).as("API %s", GlobalOpenTelemetry.class.getPackage()
        .getImplementationVersion()).isEqualTo("isSet");
    assertThat(GlobalInstance.installedOrNull()).isNull();
    assertThat(GlobalInstance.installedOrNull()).isNull();

    GlobalOpenTelemetry.set(sdk);

    assertThat(GlobalInstance.installedOrNull()).isNotNull()
        .satisfies(global -> assertThat(global.getTracerProvider()).isNotNull());
  }
}
