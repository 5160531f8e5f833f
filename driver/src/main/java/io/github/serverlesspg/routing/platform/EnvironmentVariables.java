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

  /** The names of those of {@code names} that are set, comma-separated, for {@code explain}; null when none is. */
  static String setOnes(Map<String, String> environment, String... names) {
    StringBuilder found = new StringBuilder();
    for (String name : names) {
      if (isSet(environment, name)) {
        found.append(found.length() == 0 ? "" : ", ").append(name);
      }
    }
    return found.length() == 0 ? null : found.toString();
  }

  /** Whether the variable is set to exactly {@code expected}, ignoring surrounding blanks. */
  static boolean hasValue(Map<String, String> environment, String name, String expected) {
    String value = environment.get(name);
    return value != null && value.trim().equals(expected);
  }
}
