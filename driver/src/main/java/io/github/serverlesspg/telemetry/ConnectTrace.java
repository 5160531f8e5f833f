package io.github.serverlesspg.telemetry;

import static io.github.serverlesspg.telemetry.SemanticAttributes.ERROR_TYPE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.MODE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.ORIGIN;
import static io.github.serverlesspg.telemetry.SemanticAttributes.PROBE_RESULT;
import static io.github.serverlesspg.telemetry.SemanticAttributes.WAIT_MS;

import io.github.serverlesspg.physical.PhysicalConnection;
import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.util.Log;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The INTERNAL span {@value #SPAN_NAME} around one logical connect, made current while the pool works so that the
 * pool's reports (validation, replacement) and the phases of a new physical connection land under it. Its start and
 * end times and those of the phase spans come from one clock anchor, so phases never poke out of their parent.
 */
public final class ConnectTrace {
  static final String SPAN_NAME = "serverless-pg connect";
  private static final Log LOG = Log.of(ConnectTrace.class);

  private final PlanTelemetry plan;
  private final Instruments instruments;
  private final long epochAnchor;
  private final long nanoAnchor;
  private final Span span;
  private final Scope scope;

  ConnectTrace(PlanTelemetry plan, Instruments instruments) {
    this.plan = plan;
    this.instruments = instruments;
    Instant now = Instant.now();
    this.nanoAnchor = System.nanoTime();
    this.epochAnchor = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    this.span = instruments.tracer.spanBuilder(SPAN_NAME).setSpanKind(SpanKind.INTERNAL)
        .setAllAttributes(plan.connectAttributes()).setStartTimestamp(epochAnchor, TimeUnit.NANOSECONDS).startSpan();
    this.scope = Context.current().with(span).with(Key.KEY, this).makeCurrent();
  }

  /**
   * The connect being traced on this thread, or null. Without instruments nothing is traced, and the context is not
   * even looked at (which would load OpenTelemetry's context classes for nothing).
   */
  static ConnectTrace currentIf(Instruments instruments) {
    return instruments == null ? null : Context.current().get(Key.KEY);
  }

  /** Created on first trace, not when the class loads: the key would load OpenTelemetry's context classes. */
  private static final class Key {
    static final ContextKey<ConnectTrace> KEY = ContextKey.named("serverless-pg connect");
  }

  Span span() {
    return span;
  }

  Instruments instruments() {
    return instruments;
  }

  /** {@link System#nanoTime()} as epoch nanoseconds on this trace's clock. */
  long epochNanos(long nanoTime) {
    return epochAnchor + (nanoTime - nanoAnchor);
  }

  /** Records how the physical connection was obtained: origin and wait, on the span and in the metrics. */
  public void connected(PhysicalConnection physical) {
    PhysicalConnection.Origin origin = physical.origin();
    long waitNanos = physical.waitNanos();
    span.setAttribute(ORIGIN, TargetTelemetry.originName(origin));
    span.setAttribute(WAIT_MS, waitNanos / 1e6);
    TargetTelemetry target = plan.target();
    instruments.connects.add(1, target.connectAttributes(origin));
    instruments.waitTime.record(waitNanos / 1e9, target.poolAttributes());
    if (origin != PhysicalConnection.Origin.WARM && LOG.isDebugEnabled()) {
      // Not for warm reuse: that is the hot path, and its story is "nothing happened".
      LOG.debug("serverless-pg: connected to {} ({} physical connection, waited {} ms)", target.name(),
          TargetTelemetry.originName(origin), waitNanos / 1_000_000);
    }
  }

  /**
   * Records the mode {@code mode=auto} resolved to by the endpoint's probe ({@code pooler} or {@code server}): the
   * span was started before the first connection of the target was probed.
   */
  public void probed(ConnectionMode mode, String result) {
    span.setAttribute(MODE, mode.name().toLowerCase(Locale.ROOT));
    span.setAttribute(PROBE_RESULT, result);
  }

  /** Marks the connect failed, with the SQLSTATE (or the exception class) but never the message. */
  public void failed(Exception failure) {
    String sqlState = failure instanceof SQLException sql ? sql.getSQLState() : null;
    String errorType = sqlState != null ? sqlState : failure.getClass().getName();
    span.setAttribute(ERROR_TYPE, errorType);
    span.setStatus(StatusCode.ERROR, sqlState != null ? "SQLSTATE " + sqlState : errorType);
    if (LOG.isDebugEnabled()) {
      LOG.debug("serverless-pg: connect to {} failed: {}", plan.target().name(), errorType);
    }
  }

  /** Leaves the span's scope and ends it; always called, on the connecting thread. */
  public void end() {
    scope.close();
    span.end(epochNanos(System.nanoTime()), TimeUnit.NANOSECONDS);
  }
}
