package io.github.serverlesspg.telemetry;

import static io.github.serverlesspg.telemetry.SemanticAttributes.ERROR_TYPE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.PHASE;

import io.github.serverlesspg.physical.Connector;
import io.github.serverlesspg.util.Log;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Opens a physical connection with the delegate and reports its phases as child spans of the current connect span:
 * DNS resolution (timed here with {@link InetAddress#getAllByName}, the resolver pgjdbc uses; the JVM caches the
 * answer, so pgjdbc's own lookup right after costs nothing), TCP connect and TLS handshake (timed by our socket
 * factories through {@link ConnectPhases}) and authentication, the remainder up to the open connection (startup
 * packet, authentication exchange and server parameters). A phase that was not measured (TLS off, or a factory the
 * user set) has no span, and its time falls into the next measured one.
 */
final class TimedConnector implements Connector {
  static final String DNS = "dns";
  static final String TCP = "tcp";
  static final String TLS = "tls";
  static final String AUTH = "auth";
  private static final Log LOG = Log.of(TimedConnector.class);

  private final Connector delegate;
  private final String host;
  private final String target;

  TimedConnector(Connector delegate, String host, String target) {
    this.delegate = delegate;
    this.host = host;
    this.target = target;
  }

  @Override
  public Connection open() throws SQLException {
    ConnectTrace trace = ConnectTrace.currentIf(TelemetryProvider.active());
    if (trace == null && !LOG.isDebugEnabled()) {
      return delegate.open(); // nobody to tell about the phases
    }
    long dnsStart = System.nanoTime();
    String dnsError = null;
    try {
      InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      // pgjdbc will fail on the same name and report it; the span says which phase failed.
      dnsError = e.getClass().getName();
    }
    long dnsEnd = System.nanoTime();
    ConnectPhases phases = new ConnectPhases();
    phases.install();
    Exception failure = null;
    try {
      return delegate.open();
    } catch (SQLException | RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      ConnectPhases.uninstall();
      long end = System.nanoTime();
      if (trace != null) {
        report(trace, phases, dnsStart, dnsEnd, dnsError, end, failure);
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug("serverless-pg: physical connect to {} {} in {} ms (dns {} ms, tcp {} ms, tls {} ms, auth {} ms)",
            target, failure == null ? "succeeded" : "failed", millis(end - dnsStart), millis(dnsEnd - dnsStart),
            millis(phases.tcpEnd - phases.tcpStart), millis(phases.tlsEnd - tlsStart(phases)),
            millis(end - authStart(phases, dnsEnd)));
      }
    }
  }

  private static void report(ConnectTrace trace, ConnectPhases phases, long dnsStart, long dnsEnd, String dnsError,
      long end, Exception failure) {
    phase(trace, DNS, dnsStart, dnsEnd, dnsError);
    if (phases.tcpEnd != 0) {
      phase(trace, TCP, phases.tcpStart, phases.tcpEnd, null);
    }
    if (phases.tlsEnd != 0) {
      phase(trace, TLS, tlsStart(phases), phases.tlsEnd, null);
    }
    if (dnsError == null) {
      phase(trace, AUTH, authStart(phases, dnsEnd), end, failure == null ? null : errorType(failure));
    }
  }

  /** TLS begins with the SSLRequest round trip right after the TCP connect, before the handshake proper. */
  private static long tlsStart(ConnectPhases phases) {
    return phases.tcpEnd != 0 ? phases.tcpEnd : phases.tlsStart;
  }

  private static long authStart(ConnectPhases phases, long dnsEnd) {
    return Math.max(dnsEnd, Math.max(phases.tcpEnd, phases.tlsEnd));
  }

  private static void phase(ConnectTrace trace, String name, long start, long end, String errorType) {
    Span span = trace.instruments().tracer.spanBuilder(ConnectTrace.SPAN_NAME + ' ' + name)
        .setSpanKind(SpanKind.INTERNAL)
        .setAttribute(PHASE, name)
        .setStartTimestamp(trace.epochNanos(start), TimeUnit.NANOSECONDS)
        .startSpan();
    if (errorType != null) {
      span.setAttribute(ERROR_TYPE, errorType);
      span.setStatus(StatusCode.ERROR);
    }
    span.end(trace.epochNanos(end), TimeUnit.NANOSECONDS);
  }

  private static String errorType(Exception failure) {
    String sqlState = failure instanceof SQLException sql ? sql.getSQLState() : null;
    return sqlState != null ? sqlState : failure.getClass().getName();
  }

  private static double millis(long nanos) {
    return Math.max(0, nanos) / 1_000_000.0;
  }
}
