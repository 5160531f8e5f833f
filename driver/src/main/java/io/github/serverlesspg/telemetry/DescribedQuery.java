package io.github.serverlesspg.telemetry;

import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_COLLECTION_NAME;
import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_OPERATION_NAME;
import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_QUERY_SUMMARY;
import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_QUERY_TEXT;

import io.github.serverlesspg.sql.QueryDescription;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * One SQL text as its spans and metrics show it: span name, span attributes and metric attributes, computed once
 * per text (and per connection target, whose attributes are included) so that an execution only looks them up.
 */
final class DescribedQuery {
  private static final String BATCH = "BATCH";

  final String spanName;
  final Attributes spanAttributes;
  final Attributes metricAttributes;
  /** The batch form of this text; built on first use, then reused (a benign race may build it twice). */
  private DescribedQuery batch;
  private final QueryDescription description;
  private final String queryText;
  private final Attributes common;

  private DescribedQuery(String operation, String collection, String summary, String queryText,
      QueryDescription description, Attributes common) {
    this.description = description;
    this.queryText = queryText;
    this.common = common;
    this.spanName = spanName(summary, operation, collection);
    AttributesBuilder metric = common.toBuilder();
    putIfNotNull(metric, DB_OPERATION_NAME, operation);
    putIfNotNull(metric, DB_COLLECTION_NAME, collection);
    putIfNotNull(metric, DB_QUERY_SUMMARY, summary);
    this.metricAttributes = metric.build();
    AttributesBuilder span = metricAttributes.toBuilder();
    putIfNotNull(span, DB_QUERY_TEXT, queryText);
    this.spanAttributes = span.build();
  }

  /**
   * @param parameterized whether the text came from a prepared or callable statement: its text is recorded as is
   *     (the conventions: parameterized text is not sanitized), otherwise with literals replaced by {@code ?}
   * @param recordText false for {@code queryText=off}: no {@code db.query.text}
   */
  static DescribedQuery of(String sql, boolean parameterized, boolean recordText, Attributes common) {
    QueryDescription description = QueryDescription.of(sql);
    String text = !recordText ? null : parameterized ? description.queryText() : description.sanitizedText();
    return new DescribedQuery(description.operationName(), description.collectionName(), description.querySummary(),
        text, description, common);
  }

  /**
   * The batch form, by the conventions' batch rules: operation and summary prefixed with {@code BATCH}. Only for
   * prepared batches, whose entries share this text; a plain statement batch may mix texts we do not see, so it is
   * described by {@link #mixedBatch}.
   */
  DescribedQuery asBatch() {
    DescribedQuery result = batch;
    if (result == null) {
      String operation = description.operationName();
      String summary = description.querySummary();
      result = new DescribedQuery(operation == null ? BATCH : BATCH + ' ' + operation, description.collectionName(),
          summary == null ? null : BATCH + ' ' + summary, queryText, description, common);
      batch = result;
    }
    return result;
  }

  /** A plain statement batch: its texts may differ, so operation and summary are just {@code BATCH}, no text. */
  static DescribedQuery mixedBatch(Attributes common) {
    return new DescribedQuery(BATCH, null, BATCH, null, QueryDescription.of(""), common);
  }

  /** The conventions' span name: summary, else operation and collection, else the database system. */
  private static String spanName(String summary, String operation, String collection) {
    if (summary != null) {
      return summary;
    }
    if (operation != null) {
      return collection == null ? operation : operation + ' ' + collection;
    }
    return collection != null ? collection : SemanticAttributes.DB_SYSTEM;
  }

  private static void putIfNotNull(AttributesBuilder builder, io.opentelemetry.api.common.AttributeKey<String> key,
      String value) {
    if (value != null) {
      builder.put(key, value);
    }
  }
}
