package io.github.serverlesspg.routing.platform;

import static io.github.serverlesspg.routing.platform.EnvironmentVariables.isSet;
import static io.github.serverlesspg.routing.platform.EnvironmentVariables.setOnes;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.Map;

/** Railway, from the variables Railway provides to every build and deployment. */
public final class RailwayDetector implements PlatformDetector {
  @Override
  public String name() {
    return "railway";
  }

  // https://docs.railway.com/reference/variables#railway-provided-variables
  @Override
  public boolean detect(Map<String, String> environment) {
    return isSet(environment, "RAILWAY_PROJECT_ID") || isSet(environment, "RAILWAY_ENVIRONMENT_ID")
        // the older name of RAILWAY_ENVIRONMENT_NAME, still set on existing projects
        || isSet(environment, "RAILWAY_ENVIRONMENT");
  }

  @Override
  public String evidence(Map<String, String> environment) {
    return setOnes(environment, "RAILWAY_PROJECT_ID", "RAILWAY_ENVIRONMENT_ID", "RAILWAY_ENVIRONMENT");
  }
}
