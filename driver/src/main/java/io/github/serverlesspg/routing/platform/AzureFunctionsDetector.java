package io.github.serverlesspg.routing.platform;

import static io.github.serverlesspg.routing.platform.EnvironmentVariables.isSet;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.Map;

/** Azure Functions, from the app settings every function app has. */
public final class AzureFunctionsDetector implements PlatformDetector {
  @Override
  public String name() {
    return "azure-functions";
  }

  // https://learn.microsoft.com/azure/azure-functions/functions-app-settings#functions_worker_runtime
  @Override
  public boolean detect(Map<String, String> environment) {
    return isSet(environment, "FUNCTIONS_WORKER_RUNTIME")
        // an App Service site (WEBSITE_SITE_NAME) is a function app when it pins a Functions runtime version
        || (isSet(environment, "WEBSITE_SITE_NAME") && isSet(environment, "FUNCTIONS_EXTENSION_VERSION"));
  }

  @Override
  public String evidence(Map<String, String> environment) {
    return isSet(environment, "FUNCTIONS_WORKER_RUNTIME") ? "FUNCTIONS_WORKER_RUNTIME"
        : "WEBSITE_SITE_NAME, FUNCTIONS_EXTENSION_VERSION";
  }
}
