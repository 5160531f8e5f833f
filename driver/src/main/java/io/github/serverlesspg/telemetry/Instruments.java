package io.github.serverlesspg.telemetry;

import io.github.serverlesspg.ServerlessPgDriver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;

/**
 * The tracer and metric instruments of one {@link OpenTelemetry} instance. Rebuilt when the instance changes
 * (injection, or a global installed after our first use), never per call.
 */
final class Instruments {
  /** The conventions' bucket advice for {@code db.client.*} durations, in seconds. */
  private static final List<Double> DURATION_BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);
  private static final boolean BUCKET_ADVICE = hasBucketAdvice();

  final OpenTelemetry source;
  /** Whether {@link #source} is the global instance, which never changes once installed. */
  volatile boolean global;
  final Tracer tracer;
  final Meter meter;
  final DoubleHistogram operationDuration;
  final DoubleHistogram createTime;
  final DoubleHistogram waitTime;
  final DoubleHistogram useTime;
  final LongCounter timeouts;
  final LongCounter connects;
  final LongCounter connectRetries;

  Instruments(OpenTelemetry source) {
    this.source = source;
    String version = ServerlessPgDriver.version();
    this.tracer = source.tracerBuilder(SemanticAttributes.INSTRUMENTATION_SCOPE)
        .setInstrumentationVersion(version).setSchemaUrl(SemanticAttributes.SCHEMA_URL).build();
    this.meter = source.meterBuilder(SemanticAttributes.INSTRUMENTATION_SCOPE)
        .setInstrumentationVersion(version).setSchemaUrl(SemanticAttributes.SCHEMA_URL).build();
    this.operationDuration = seconds("db.client.operation.duration", "Duration of database client operations.");
    this.createTime = seconds("db.client.connection.create_time", "The time it took to create a new connection.");
    this.waitTime = seconds("db.client.connection.wait_time",
        "The time it took to obtain an open connection from the pool.");
    this.useTime = seconds("db.client.connection.use_time",
        "The time between borrowing a connection and returning it to the pool.");
    this.timeouts = meter.counterBuilder("db.client.connection.timeouts").setUnit("{timeout}")
        .setDescription("The number of connection timeouts that have occurred trying to obtain a connection from the "
            + "pool.").build();
    this.connects = meter.counterBuilder("serverless_pg.connects").setUnit("{connect}")
        .setDescription("Logical connects by how the physical connection was obtained (cold, warm, validated, "
            + "replaced, overflow): the cold-start rate.").build();
    this.connectRetries = meter.counterBuilder("serverless_pg.connect.retries").setUnit("{retry}")
        .setDescription("Physical connect attempts that failed for a transient reason and were tried again, by "
            + "error.type (SQLSTATE).").build();
  }

  private DoubleHistogram seconds(String name, String description) {
    DoubleHistogramBuilder builder = meter.histogramBuilder(name).setUnit("s").setDescription(description);
    if (BUCKET_ADVICE) {
      builder = builder.setExplicitBucketBoundariesAdvice(DURATION_BUCKETS);
    }
    return builder.build();
  }

  /**
   * Whether the API has bucket advice (1.32 on). Checked once: the call above links only when it first runs, so on
   * 1.31 it is never run and never fails; the SDK's default buckets (or the application's views) apply there.
   */
  private static boolean hasBucketAdvice() {
    try {
      DoubleHistogramBuilder.class.getMethod("setExplicitBucketBoundariesAdvice", List.class);
      return true;
    } catch (NoSuchMethodException olderApi) {
      return false;
    }
  }
}
