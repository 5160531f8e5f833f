package io.github.serverlesspg.telemetry;

/**
 * The TCP and TLS timings of the physical connect running on this thread. pgjdbc connects on the calling thread, so
 * {@link TimedConnector} installs a recorder around {@code open()} and our socket factories, which pgjdbc instantiates
 * by class name and which therefore cannot be handed a reference, report into it. Outside such a connect (a factory
 * used by some other code) reports go nowhere.
 */
final class ConnectPhases {
  private static final ThreadLocal<ConnectPhases> CURRENT = new ThreadLocal<>();

  /** {@link System#nanoTime()} marks; 0 when the phase did not happen or was not measured. */
  long tcpStart;
  long tcpEnd;
  long tlsStart;
  long tlsEnd;

  void install() {
    CURRENT.set(this);
  }

  static void uninstall() {
    CURRENT.remove();
  }

  /** Called by {@link TimedSocket}; with several attempts (another host, a retry) the last one counts. */
  static void tcp(long start, long end) {
    ConnectPhases phases = CURRENT.get();
    if (phases != null) {
      phases.tcpStart = start;
      phases.tcpEnd = end;
    }
  }

  /** Called by {@link TimingSslSocketFactory} after the handshake. */
  static void tls(long start, long end) {
    ConnectPhases phases = CURRENT.get();
    if (phases != null) {
      phases.tlsStart = start;
      phases.tlsEnd = end;
    }
  }
}
