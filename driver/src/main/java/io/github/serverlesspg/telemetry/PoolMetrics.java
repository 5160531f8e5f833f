package io.github.serverlesspg.telemetry;

import static io.github.serverlesspg.telemetry.SemanticAttributes.BACKOFF_MS;
import static io.github.serverlesspg.telemetry.SemanticAttributes.CONNECT_ATTEMPTS;
import static io.github.serverlesspg.telemetry.SemanticAttributes.DURATION_MS;
import static io.github.serverlesspg.telemetry.SemanticAttributes.ERROR_TYPE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.REASON;
import static io.github.serverlesspg.telemetry.SemanticAttributes.VALID;

import io.github.serverlesspg.physical.PoolObserver;
import io.github.serverlesspg.util.Log;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.util.concurrent.TimeUnit;

/**
 * Turns one target's pool reports into metrics, and into spans and events of the connect being traced on the
 * reporting thread: a validation is a child span, a replacement and a close are events. Reports from outside a
 * connect (a close on release) only count and log.
 */
final class PoolMetrics implements PoolObserver {
  static final String VALIDATE_SPAN = ConnectTrace.SPAN_NAME + " validate";
  static final String CLOSED_EVENT = "serverless_pg.connection.closed";
  static final String CREATED_EVENT = "serverless_pg.connection.created";
  static final String RETRY_EVENT = "serverless_pg.connect.retry";
  private static final Log LOG = Log.of(PoolMetrics.class);

  private final TargetTelemetry target;

  PoolMetrics(TargetTelemetry target) {
    this.target = target;
  }

  @Override
  public void created(long nanos, String reason) {
    Instruments instruments = TelemetryProvider.active();
    if (instruments != null) {
      instruments.createTime.record(nanos / 1e9, target.poolAttributes());
    }
    ConnectTrace trace = ConnectTrace.currentIf(instruments);
    if (trace != null) {
      trace.span().addEvent(CREATED_EVENT, Attributes.of(REASON, reason, DURATION_MS, nanos / 1e6));
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("serverless-pg: opened a physical connection to {} ({}) in {} ms", target.name(), reason,
          nanos / 1e6);
    }
  }

  @Override
  public void validated(boolean valid, long nanos) {
    ConnectTrace trace = ConnectTrace.currentIf(TelemetryProvider.active());
    if (trace != null) {
      long end = System.nanoTime();
      Span span = trace.instruments().tracer.spanBuilder(VALIDATE_SPAN).setSpanKind(SpanKind.INTERNAL)
          .setStartTimestamp(trace.epochNanos(end - nanos), TimeUnit.NANOSECONDS)
          .setAttribute(VALID, valid)
          .startSpan();
      span.end(trace.epochNanos(end), TimeUnit.NANOSECONDS);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("serverless-pg: validated an idle connection to {} in {} ms: {}", target.name(), nanos / 1e6,
          valid ? "alive" : "dead, replacing it");
    }
  }

  @Override
  public void closed(String reason) {
    ConnectTrace trace = ConnectTrace.currentIf(TelemetryProvider.active());
    if (trace != null) {
      trace.span().addEvent(CLOSED_EVENT, Attributes.of(REASON, reason));
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("serverless-pg: closed a physical connection to {}: {}", target.name(), reason);
    }
  }

  @Override
  public void connectRetrying(int attempt, java.sql.SQLException failure, long backoffNanos) {
    Instruments instruments = TelemetryProvider.active();
    String errorType = errorType(failure);
    if (instruments != null) {
      instruments.connectRetries.add(1, target.poolAttributes().toBuilder().put(ERROR_TYPE, errorType).build());
    }
    ConnectTrace trace = ConnectTrace.currentIf(instruments);
    if (trace != null) {
      trace.span().addEvent(RETRY_EVENT, Attributes.of(ERROR_TYPE, errorType, BACKOFF_MS, backoffNanos / 1e6));
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("serverless-pg: connect attempt {} to {} failed ({}), retrying in {} ms", attempt, target.name(),
          errorType, backoffNanos / 1_000_000);
    }
  }

  @Override
  public void connectAttempts(int attempts, java.sql.SQLException failure) {
    ConnectTrace trace = ConnectTrace.currentIf(TelemetryProvider.active());
    if (trace != null) {
      trace.span().setAttribute(CONNECT_ATTEMPTS, (long) attempts);
    }
  }

  private static String errorType(java.sql.SQLException failure) {
    return failure.getSQLState() != null ? failure.getSQLState() : failure.getClass().getName();
  }

  @Override
  public void timedOut() {
    Instruments instruments = TelemetryProvider.active();
    if (instruments != null) {
      instruments.timeouts.add(1, target.poolAttributes());
    }
  }

  @Override
  public void poolClosed() {
    target.poolClosed();
  }

  @Override
  public void released(long usedNanos) {
    Instruments instruments = TelemetryProvider.active();
    if (instruments != null) {
      instruments.useTime.record(usedNanos / 1e9, target.poolAttributes());
    }
  }
}
