package io.github.serverlesspg.telemetry;

import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_OPERATION_BATCH_SIZE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_RESPONSE_STATUS_CODE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.ERROR_TYPE;

import io.github.serverlesspg.logical.ExecutionTracer;
import io.github.serverlesspg.util.BoundedCache;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.sql.SQLException;

/**
 * One CLIENT span, one {@code db.client.operation.duration} measurement and one health-statistics sample per
 * statement execution, batch, commit and rollback, by the stable database semantic conventions.
 *
 * <p>The span is started under the caller's current context and never made current itself, so our query spans never
 * parent one another. Failures record the SQLSTATE, never the exception message: PostgreSQL's messages quote values
 * (a duplicate key's value, say), and bound values must not reach telemetry. One instance per plan; thread-safe.
 */
final class QueryTracer implements ExecutionTracer {
  /** Distinct SQL texts whose descriptions are kept; applications have a few hundred at most. */
  private static final int MAX_DESCRIBED = 1_000;
  private static final long MAX_DESCRIBED_BYTES = 2L << 20;
  private static final int MAX_DESCRIBED_TEXT_BYTES = 32 << 10;

  private final PlanTelemetry plan;
  private final boolean recordText;
  private final QueryStats stats;
  private volatile DescribedQuery mixedBatch;
  /** By SQL text; a description holds about as much again as its text, so 2 MiB of text is about 4 MiB. */
  private final BoundedCache<String, DescribedQuery> plain =
      BoundedCache.forSql(MAX_DESCRIBED, MAX_DESCRIBED_BYTES, MAX_DESCRIBED_TEXT_BYTES);
  private final BoundedCache<String, DescribedQuery> parameterized =
      BoundedCache.forSql(MAX_DESCRIBED, MAX_DESCRIBED_BYTES, MAX_DESCRIBED_TEXT_BYTES);

  QueryTracer(PlanTelemetry plan, boolean recordText, QueryStats stats) {
    this.plan = plan;
    this.recordText = recordText;
    this.stats = stats;
  }

  @Override
  public Object start(String sql, boolean isParameterized, int batchSize) {
    // One clock read serves the provider's re-check and the start: the duration includes starting the span, as the
    // OpenTelemetry Instrumenter's does, and the statement path pays one System.nanoTime() fewer.
    long startNanos = System.nanoTime();
    Instruments instruments = TelemetryProvider.active(startNanos);
    if (instruments == null) {
      return new Execution(null, null, null, startNanos); // statistics for health only
    }
    DescribedQuery query = batchSize >= 2
        ? (isParameterized ? describe(sql, true).asBatch() : mixedBatch())
        : describe(sql, isParameterized);
    SpanBuilder builder = instruments.tracer.spanBuilder(query.spanName)
        .setSpanKind(SpanKind.CLIENT)
        .setAllAttributes(query.spanAttributes);
    if (batchSize >= 2) {
      builder.setAttribute(DB_OPERATION_BATCH_SIZE, (long) batchSize);
    }
    return new Execution(instruments, builder.startSpan(), query, startNanos);
  }

  @Override
  public void end(Object token, SQLException failure) {
    if (!(token instanceof Execution execution)) {
      return;
    }
    long nanos = System.nanoTime() - execution.startNanos;
    stats.record(nanos, failure != null);
    Span span = execution.span;
    if (span == null) {
      return;
    }
    Attributes metricAttributes = execution.query.metricAttributes;
    if (failure != null) {
      String sqlState = failure.getSQLState();
      String errorType = sqlState != null ? sqlState : failure.getClass().getName();
      if (sqlState != null) {
        span.setAttribute(DB_RESPONSE_STATUS_CODE, sqlState);
      }
      span.setAttribute(ERROR_TYPE, errorType);
      span.setStatus(StatusCode.ERROR, sqlState != null ? "SQLSTATE " + sqlState : errorType);
      metricAttributes = sqlState != null
          ? metricAttributes.toBuilder().put(ERROR_TYPE, errorType).put(DB_RESPONSE_STATUS_CODE, sqlState).build()
          : metricAttributes.toBuilder().put(ERROR_TYPE, errorType).build();
    }
    span.end();
    execution.instruments.operationDuration.record(nanos / 1e9, metricAttributes);
  }

  private DescribedQuery describe(String sql, boolean isParameterized) {
    String text = sql == null ? "" : sql;
    BoundedCache<String, DescribedQuery> cache = isParameterized ? parameterized : plain;
    DescribedQuery query = cache.get(text);
    if (query == null) {
      query = DescribedQuery.of(text, isParameterized, recordText, plan.queryAttributes());
      cache.put(text, query);
    }
    return query;
  }

  private DescribedQuery mixedBatch() {
    DescribedQuery batch = mixedBatch;
    if (batch == null) {
      batch = DescribedQuery.mixedBatch(plan.queryAttributes()); // racing threads build equal copies
      mixedBatch = batch;
    }
    return batch;
  }

  /** The token of one execution. */
  private static final class Execution {
    final Instruments instruments;
    final Span span;
    final DescribedQuery query;
    final long startNanos;

    Execution(Instruments instruments, Span span, DescribedQuery query, long startNanos) {
      this.instruments = instruments;
      this.span = span;
      this.query = query;
      this.startNanos = startNanos;
    }
  }
}
