package io.github.serverlesspg.sql;

/**
 * What the stable OpenTelemetry database semantic conventions want to know about one SQL text, computed
 * lexically (no parser). Callers cache one per SQL string.
 *
 * <p>Note the PostgreSQL conventions: {@code db.operation.name} and {@code db.collection.name} "SHOULD NOT
 * be extracted from {@code db.query.text}", because one text may hold several operations and collections.
 * {@link #operationName()} and {@link #collectionName()} are therefore only set when the text has exactly
 * one of each, and serve the span-name fallback and metrics; the summary is the attribute to record.
 *
 * @param operationName the single operation of the text ({@code SELECT}, {@code CREATE TABLE}, …) as
 *     written, or {@code null} when there are none or several
 * @param collectionName the single table of the text as written (schema and quotes kept), or {@code null}
 *     when there are none or several
 * @param querySummary {@code db.query.summary}: operations and targets in order, e.g. {@code SELECT users
 *     orders}; never a literal; {@code null} when the text names neither
 * @param sanitizedText the text with every string, numeric and boolean literal replaced by {@code ?}
 * @param queryText {@code db.query.text}: the text as is when parameterized (the conventions: "Parameterized
 *     query text SHOULD NOT be sanitized"), else {@link #sanitizedText}
 * @param hasParameters whether the text has {@code $n} or JDBC {@code ?} placeholders
 */
public record QueryDescription(
    String operationName,
    String collectionName,
    String querySummary,
    String sanitizedText,
    String queryText,
    boolean hasParameters) {

  /** {@code db.system.name} for PostgreSQL, the span name of last resort. */
  public static final String DB_SYSTEM_NAME = "postgresql";

  /** Describes {@code sql} ({@code null} reads as empty). Linear in its length; never throws. */
  public static QueryDescription of(String sql) {
    String text = sql == null ? "" : sql;
    QuerySummarizer summarizer = QuerySummarizer.summarize(text);
    String sanitized = QueryTextSanitizer.sanitize(text);
    // A SET's value may be an unquoted word (SET app.api_key TO sk_live_x), no literal to the sanitizer but possibly
    // a secret: texts with a SET statement are recorded in their log shape, every SET value a placeholder, even
    // when parameterized.
    String setShape = SettingChange.logShape(text);
    boolean hasSet = !setShape.equals(QueryTextSanitizer.sanitize(text.trim()));
    if (hasSet) {
      sanitized = setShape;
    }
    boolean parameterized = QueryTextSanitizer.hasParameters(text);
    return new QueryDescription(
        summarizer.singleOperation(),
        summarizer.singleTarget(),
        summarizer.summary(),
        sanitized,
        parameterized && !hasSet ? text : sanitized,
        parameterized);
  }

  /**
   * The span name by the conventions' rule: {@code {db.query.summary}}; else {@code {db.operation.name}
   * {target}}; else {@code {target}}; else {@code {db.system.name}}, that is {@value #DB_SYSTEM_NAME}.
   */
  public String spanName() {
    if (querySummary != null) {
      return querySummary;
    }
    if (operationName != null) {
      return collectionName == null ? operationName : operationName + ' ' + collectionName;
    }
    return collectionName != null ? collectionName : DB_SYSTEM_NAME;
  }
}
