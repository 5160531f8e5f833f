package io.github.serverlesspg.telemetry;

/**
 * Decides whether a target's MBean is registered (property {@code jmx}). Starting the platform MBean server costs
 * about 165 ms on first use, a third of a whole plain-pgjdbc cold start, and even asking
 * {@code MBeanServerFactory} whether one runs loads the JMX and system-logger machinery. So {@code auto} registers
 * only when the JVM was started with a JMX agent ({@code com.sun.management.jmxremote*} system properties), which a
 * system property lookup tells for free; {@code on} registers always.
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
        return System.getProperty("com.sun.management.jmxremote") != null
            || System.getProperty("com.sun.management.jmxremote.port") != null;
    }
  }
}
