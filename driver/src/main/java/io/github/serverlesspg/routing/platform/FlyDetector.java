package io.github.serverlesspg.routing.platform;

import static io.github.serverlesspg.routing.platform.EnvironmentVariables.isSet;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.Map;

/** Fly.io Machines, from the app name Fly.io sets in every Machine. */
public final class FlyDetector implements PlatformDetector {
  @Override
  public String name() {
    return "fly";
  }

  // https://fly.io/docs/machines/runtime-environment/
  @Override
  public boolean detect(Map<String, String> environment) {
    return isSet(environment, "FLY_APP_NAME");
  }

  @Override
  public String evidence(Map<String, String> environment) {
    return "FLY_APP_NAME";
  }
}
