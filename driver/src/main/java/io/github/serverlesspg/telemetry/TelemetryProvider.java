package io.github.serverlesspg.telemetry;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

/**
 * Where the driver's {@link OpenTelemetry} comes from: the instance injected with
 * {@code ServerlessPgDriver.setOpenTelemetry}, else {@link GlobalOpenTelemetry#getOrNoop()} looked up at use (never in
 * a static initializer, and never {@code get()}, which would pin the global to a no-op before the application or the
 * agent installs its SDK). A global installed after our first use is picked up at the next call.
 */
public final class TelemetryProvider {
  private static volatile OpenTelemetry injected;
  private static volatile Instruments instruments;

  private TelemetryProvider() {
  }

  /** Uses {@code openTelemetry} from now on; null returns to the global instance. */
  public static void setOpenTelemetry(OpenTelemetry openTelemetry) {
    injected = openTelemetry;
  }

  /** The instruments of the current instance; rebuilt only when the instance changed. */
  static Instruments instruments() {
    OpenTelemetry wanted = injected;
    if (wanted == null) {
      wanted = GlobalOpenTelemetry.getOrNoop();
    }
    Instruments current = instruments;
    if (current == null || current.source != wanted) {
      // Racing threads may each build one; instruments of the same instance are interchangeable.
      current = new Instruments(wanted);
      instruments = current;
    }
    return current;
  }
}
