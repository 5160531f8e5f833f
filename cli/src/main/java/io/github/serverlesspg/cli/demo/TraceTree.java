package io.github.serverlesspg.cli.demo;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A span and its descendants as a trace view shows them: indented, each with its start offset from the root and its
 * duration in milliseconds, and the attributes that tell a connect's story.
 */
final class TraceTree {
  private TraceTree() {
  }

  static String render(List<SpanData> spans, SpanData root) {
    StringBuilder tree = new StringBuilder();
    render(spans, root, root.getStartEpochNanos(), 0, tree);
    return tree.toString();
  }

  private static void render(List<SpanData> spans, SpanData span, long origin, int depth, StringBuilder tree) {
    tree.append("    ").append("  ".repeat(depth)).append(span.getName())
        .append(String.format(Locale.ROOT, "  [+%.2f ms, %.2f ms]", (span.getStartEpochNanos() - origin) / 1e6,
            (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6));
    String attributes = span.getAttributes().asMap().entrySet().stream()
        .map(e -> e.getKey().getKey().replace("serverless_pg.", "") + "=" + e.getValue())
        .filter(text -> text.startsWith("connection.origin=") || text.startsWith("mode=")
            || text.startsWith("db.response.status_code=") || text.startsWith("error.type="))
        .sorted().collect(Collectors.joining(", "));
    if (!attributes.isEmpty()) {
      tree.append("  ").append(attributes);
    }
    tree.append('\n');
    spans.stream().filter(s -> s.getParentSpanId().equals(span.getSpanId()))
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
        .forEach(child -> render(spans, child, origin, depth + 1, tree));
  }
}
