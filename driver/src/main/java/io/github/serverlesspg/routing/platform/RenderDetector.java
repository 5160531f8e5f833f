package io.github.serverlesspg.routing.platform;

import static io.github.serverlesspg.routing.platform.EnvironmentVariables.hasValue;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.Map;

/** Render services, from {@code RENDER=true}, which Render sets for exactly this purpose. */
public final class RenderDetector implements PlatformDetector {
  @Override
  public String name() {
    return "render";
  }

  // https://render.com/docs/environment-variables
  @Override
  public boolean detect(Map<String, String> environment) {
    return hasValue(environment, "RENDER", "true");
  }

  @Override
  public String evidence(Map<String, String> environment) {
    return "RENDER=true";
  }
}
