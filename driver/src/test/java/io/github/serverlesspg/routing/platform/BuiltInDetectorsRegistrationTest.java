package io.github.serverlesspg.routing.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class BuiltInDetectorsRegistrationTest {
  @Test
  void serviceLoaderFindsEveryBuiltInDetector() {
    assertThat(ServiceLoader.load(PlatformDetector.class).stream().map(ServiceLoader.Provider::get))
        .extracting(PlatformDetector::name)
        .contains("aws-lambda", "vercel", "railway", "gcp-cloud-run", "gcp-cloud-functions", "azure-functions",
            "netlify", "fly", "render", "kubernetes");
  }
}
