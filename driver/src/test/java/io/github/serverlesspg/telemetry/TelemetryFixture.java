package io.github.serverlesspg.telemetry;

import io.github.serverlesspg.ServerlessPgDriver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An OpenTelemetry SDK exporting to memory, injected into the driver, with span lookups for assertions. As a JUnit
 * extension ({@code @RegisterExtension}) it is installed before each test and removed after it.
 */
public final class TelemetryFixture implements BeforeEachCallback, AfterEachCallback {
  public final InMemorySpanExporter spans = InMemorySpanExporter.create();
  public final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
      .build();

  public TelemetryFixture install() {
    ServerlessPgDriver.setOpenTelemetry(sdk);
    return this;
  }

  public void uninstall() {
    ServerlessPgDriver.setOpenTelemetry(null);
    sdk.close();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    install();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    uninstall();
  }

  public List<SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
  }

  public List<SpanData> childrenOf(SpanData parent) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getParentSpanId().equals(parent.getSpanId())).collect(Collectors.toList());
  }

  public List<SpanData> withAttribute(AttributeKey<String> key, String value) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> value.equals(s.getAttributes().get(key))).collect(Collectors.toList());
  }
}
