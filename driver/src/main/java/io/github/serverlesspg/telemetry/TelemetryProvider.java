package io.github.serverlesspg.telemetry;

import io.opentelemetry.api.OpenTelemetry;

/**
 * Where the driver's {@link OpenTelemetry} comes from: the instance injected with
 * {@code ServerlessPgDriver.setOpenTelemetry}, else the global instance once one is installed ({@link GlobalInstance}:
 * never in a static initializer, and never in a way that pins the global to a no-op before the application or the
 * agent installs its SDK, on any OpenTelemetry API version from 1.31 on).
 *
 * <p>{@link #active()} is on the hot path, so it never looks the global up per statement: that look-up takes a
 * global monitor. A global instance, once installed, cannot change, so it is kept; while there is none, the global is
 * looked up again at most once a second, so an SDK installed after our first use is picked up within a second. With
 * no instance at all, callers skip tracing and metrics entirely, and the OpenTelemetry tracing and metrics classes
 * are never loaded: a cold start that has no SDK does not pay for one.
 */
public final class TelemetryProvider {
  private static final long GLOBAL_RECHECK_NANOS = 1_000_000_000L;

  private static volatile OpenTelemetry injected;
  private static volatile Instruments instruments;
  private static volatile long nextGlobalCheck = System.nanoTime();
  private static volatile boolean globalChecked;

  private TelemetryProvider() {
  }

  /** Uses {@code openTelemetry} from now on; null returns to the global instance. */
  public static void setOpenTelemetry(OpenTelemetry openTelemetry) {
    injected = openTelemetry;
    globalChecked = false;
  }

  /** The instruments of the instance in use, or null when there is none (no SDK: trace and measure nothing). */
  static Instruments active() {
    return active(0L, false);
  }

  /**
   * {@link #active()} for a caller that has just read {@code System.nanoTime()} anyway (a statement's start): spares
   * the clock read of the global re-check, about 24 ns here, on every statement run without an SDK.
   */
  static Instruments active(long nowNanos) {
    return active(nowNanos, true);
  }

  private static Instruments active(long nowNanos, boolean nowKnown) {
    Instruments current = instruments;
    OpenTelemetry wanted = injected;
    if (wanted != null) {
      if (current == null || current.source != wanted) {
        // Racing threads may each build one; instruments of the same instance are interchangeable.
        current = new Instruments(wanted);
        instruments = current;
      }
      return current;
    }
    if (current != null && current.global) {
      return current;
    }
    long now = nowKnown ? nowNanos : System.nanoTime();
    if (globalChecked && now - nextGlobalCheck < 0) {
      return null;
    }
    nextGlobalCheck = now + GLOBAL_RECHECK_NANOS;
    globalChecked = true;
    OpenTelemetry global = GlobalInstance.installedOrNull();
    if (global == null) {
      instruments = null;
      return null;
    }
    current = new Instruments(global);
    current.global = true;
    instruments = current;
    return current;
  }
}
