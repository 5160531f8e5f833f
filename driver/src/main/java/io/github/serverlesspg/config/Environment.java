package io.github.serverlesspg.config;

import java.util.Map;

/**
 * The process environment as the driver sees it. Everything that reads environment variables goes through this
 * class so that tests can hand in a map instead of the real environment.
 */
public final class Environment {
  private static final Environment SYSTEM = new Environment(System.getenv());

  private final Map<String, String> variables;

  private Environment(Map<String, String> variables) {
    this.variables = variables;
  }

  /** The real process environment. */
  public static Environment system() {
    return SYSTEM;
  }

  /** An environment made of exactly these variables. */
  public static Environment of(Map<String, String> variables) {
    return new Environment(Map.copyOf(variables));
  }

  /** The variable's value, or null when it is unset or blank. */
  public String get(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** All variables, read-only, for platform detectors. */
  public Map<String, String> asMap() {
    return variables;
  }

  @Override
  public String toString() {
    return "Environment[" + variables.size() + " variables]";
  }
}
