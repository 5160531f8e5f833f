package io.github.serverlesspg.telemetry;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * The application's global {@link OpenTelemetry}, if one is installed, found without installing one.
 *
 * <p>{@link GlobalOpenTelemetry#get()} installs a no-op global when none is set, after which the application's own
 * {@code GlobalOpenTelemetry.set} (and {@code buildAndRegisterGlobal()}) throws. So the driver calls {@code get()}
 * only once it knows an instance is there. How it knows depends on the API version the application's build pins
 * (Spring Boot 3.2 pins 1.31, 3.5 pins 1.49, 4.0 pins 1.55), so the way is chosen once, at the first look-up:
 * <ul>
 *   <li>the OpenTelemetry Java agent: its bridge replaces {@code get()} in every API version, with no side effect;
 *   <li>API 1.57 and later: {@code GlobalOpenTelemetry.isSet()};
 *   <li>API 1.31 to 1.56: the private static field {@code globalOpenTelemetry} (the same name in all of them),
 *       read by reflection, since these versions have no public way to ask. Where reflection is refused, the
 *       global is never used and an injected instance ({@code ServerlessPgDriver.setOpenTelemetry}) is the way.
 * </ul>
 * The driver never calls {@code getOrNoop()}/{@code isSet()} directly: a direct call would fail to link
 * ({@code NoSuchMethodError}) on the versions that lack them.
 */
final class GlobalInstance {
  /** On the bootstrap class path whenever the OpenTelemetry Java agent runs. */
  private static final String AGENT_CLASS = "io.opentelemetry.javaagent.bootstrap.AgentInitializer";

  private GlobalInstance() {
  }

  /** The installed global instance, or null when there is none. Never installs one. */
  static OpenTelemetry installedOrNull() {
    return Probe.INSTANCE.isInstalled() ? GlobalOpenTelemetry.get() : null;
  }

  /** How this process tells whether a global is installed: "agent", "isSet", "field" or "none". */
  static String probeName() {
    return Probe.INSTANCE.name;
  }

  /** Chosen once, in a holder so that nothing is looked up before the first connect. */
  private static final class Probe {
    static final Probe INSTANCE = choose();

    final String name;
    private final MethodHandle isSet;
    private final Field field;

    private Probe(String name, MethodHandle isSet, Field field) {
      this.name = name;
      this.isSet = isSet;
      this.field = field;
    }

    private static Probe choose() {
      if (agentPresent()) {
        return new Probe("agent", null, null);
      }
      try {
        return new Probe("isSet", MethodHandles.publicLookup().findStatic(GlobalOpenTelemetry.class, "isSet",
            MethodType.methodType(boolean.class)), null);
      } catch (NoSuchMethodException | IllegalAccessException olderApi) {
        // API before 1.57: fall through to the field
      }
      try {
        Field global = GlobalOpenTelemetry.class.getDeclaredField("globalOpenTelemetry");
        global.setAccessible(true);
        return new Probe("field", null, global);
      } catch (NoSuchFieldException | RuntimeException refused) {
        // InaccessibleObjectException or a SecurityException: the global stays unused, injection still works
        return new Probe("none", null, null);
      }
    }

    private static boolean agentPresent() {
      try {
        Class.forName(AGENT_CLASS, false, null);
        return true;
      } catch (ClassNotFoundException | LinkageError absent) {
        return false;
      }
    }

    boolean isInstalled() {
      if (isSet == null && field == null) {
        return name.equals("agent");
      }
      try {
        return isSet != null ? (boolean) isSet.invokeExact() : field.get(null) != null;
      } catch (Error error) {
        throw error;
      } catch (Throwable impossible) {
        // isSet() declares no checked exception and the field was made accessible: nothing to trace then
        return false;
      }
    }
  }
}
