package io.github.serverlesspg.cli.demo;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Keeps finished spans in memory so the demo can print them; the SDK's testing module would add test libraries. */
final class CollectingSpanExporter implements SpanExporter {
  private final List<SpanData> spans = new ArrayList<>();

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> batch) {
    spans.addAll(batch);
    return CompletableResultCode.ofSuccess();
  }

  synchronized List<SpanData> drain() {
    List<SpanData> drained = new ArrayList<>(spans);
    spans.clear();
    return drained;
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
