package io.github.serverlesspg.testsupport;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A span and its descendants as a trace view shows them: indented, each with its start offset from the root and its
 * duration in milliseconds, followed by the chosen attributes ({@code serverless_pg.} prefixes dropped). Shared by
 * the tests that render traces and by the CLI's demo; needs the OpenTelemetry SDK, which this module only declares
 * as provided so that a test's own SDK version is the one used.
 */
public final class TraceTree {
  private TraceTree() {
  }

  /**
   * @param indent what every line starts with
   * @param attributeKeys the attribute keys (without the {@code serverless_pg.} prefix) shown after a span
   */
  public static String render(List<SpanData> spans, SpanData root, String indent, Set<String> attributeKeys) {
    StringBuilder tree = new StringBuilder();
    render(spans, root, root.getStartEpochNanos(), indent, attributeKeys, tree);
    return tree.toString();
  }

  private static void render(List<SpanData> spans, SpanData span, long origin, String indent,
      Set<String> attributeKeys, StringBuilder tree) {
    tree.append(indent).append(span.getName())
        .append(String.format(Locale.ROOT, "  [+%.2f ms, %.2f ms]", (span.getStartEpochNanos() - origin) / 1e6,
            (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6));
    String attributes = span.getAttributes().asMap().entrySet().stream()
        .filter(e -> attributeKeys.contains(e.getKey().getKey().replace("serverless_pg.", "")))
        .map(e -> e.getKey().getKey().replace("serverless_pg.", "") + "=" + e.getValue())
        .sorted().collect(Collectors.joining(", "));
    if (!attributes.isEmpty()) {
      tree.append("  ").append(attributes);
    }
    tree.append('\n');
    spans.stream().filter(s -> s.getParentSpanId().equals(span.getSpanId()))
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
        .forEach(child -> render(spans, child, origin, indent + "  ", attributeKeys, tree));
  }
}
