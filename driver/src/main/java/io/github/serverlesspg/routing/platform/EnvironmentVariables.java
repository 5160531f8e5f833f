package io.github.serverlesspg.routing.platform;

import java.util.Map;

/** The two questions detectors ask of an environment, with blank values counting as unset as everywhere else. */
final class EnvironmentVariables {
  private EnvironmentVariables() {
  }

  /** Whether the variable is set to something other than blanks. */
  static boolean isSet(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value != null && !value.isBlank();
  }

  /** Whether the variable is set to exactly {@code expected}, ignoring surrounding blanks. */
  static boolean hasValue(Map<String, String> environment, String name, String expected) {
    String value = environment.get(name);
    return value != null && value.trim().equals(expected);
  }
}
