package io.github.serverlesspg.routing;

/**
 * Why each default of a plan is what it is, in words, with the environment variable it came from: shown by
 * {@link ConnectionPlan#explain()}.
 */
final class PlanReasons {
  /** The platform and the variables that showed it, or null without one. */
  final String platform;
  /** Why server-side prepared statements are allowed or off. */
  final String prepares;
  /** Why the limit of physical connections is what it is. */
  final String limit;

  PlanReasons(String platform, String prepares, String limit) {
    this.platform = platform;
    this.prepares = prepares;
    this.limit = limit;
  }
}
