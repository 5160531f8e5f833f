package io.github.serverlesspg.benchmarks;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The OpenTelemetry SDK the telemetry benchmarks report to: every span sampled, ended spans handed synchronously
 * ({@link SimpleSpanProcessor}: no export thread competing for the machine's cores) to an exporter that drops them,
 * and a meter provider with one reader that never collects, so that measurements really are aggregated (a provider
 * without readers hands out no-op instruments, which would hide the cost of metrics). What is measured is the cost of
 * producing the telemetry in the application thread, not of exporting it.
 */
final class BenchmarkOpenTelemetry {
  /** Spans exported by the SDK last built, counted so that a run shows the variant really traced. */
  private static final LongAdder EXPORTED = new LongAdder();
  private static volatile NeverCollectingReader reader;

  private BenchmarkOpenTelemetry() {
  }

  static OpenTelemetry sdk() {
    NeverCollectingReader newReader = new NeverCollectingReader();
    reader = newReader;
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new DroppingSpanExporter())).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(newReader).build())
        .build();
  }

  /** What the SDK received so far (null when none was built): for a line in the benchmark's output. */
  static String report() {
    NeverCollectingReader current = reader;
    if (current == null || current.registration == null) {
      return null;
    }
    String metrics = current.registration.collectAllMetrics().stream()
        .map(metric -> metric.getName() + " (" + metric.getData().getPoints().size() + " series)")
        .collect(Collectors.joining(", "));
    return EXPORTED.sum() + " spans exported; metrics: " + metrics;
  }

  private static final class DroppingSpanExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      EXPORTED.add(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Collects only when {@link #report()} asks, after the measurements. */
  private static final class NeverCollectingReader implements MetricReader {
    volatile CollectionRegistration registration;

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
