package io.github.serverlesspg.telemetry;

import javax.management.MBeanServerFactory;

/**
 * Decides whether a target's MBean is registered (property {@code jmx}). Starting the platform MBean server costs
 * about 165 ms on first use, a third of a whole plain-pgjdbc cold start, so {@code auto} registers only into a server
 * that is already running. {@link MBeanServerFactory#findMBeanServer} lists the platform server once anything created
 * it, without creating it.
 */
final class JmxPolicy {
  private JmxPolicy() {
  }

  static boolean shouldRegister(String setting) {
    switch (setting) {
      case "on":
        return true;
      case "off":
        return false;
      default:
        return !MBeanServerFactory.findMBeanServer(null).isEmpty();
    }
  }
}
