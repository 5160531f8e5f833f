package io.github.serverlesspg.sql;

/**
 * THROWAWAY STUB of the sql package's API, replaced at merge by the real lexical implementation. No logic here: it
 * only lets the telemetry branch compile and run.
 */
public record QueryDescription(
    String operationName,
    String collectionName,
    String querySummary,
    String sanitizedText,
    String queryText,
    boolean hasParameters) {

  public static final String DB_SYSTEM_NAME = "postgresql";

  public static QueryDescription of(String sql) {
    String text = sql == null ? "" : sql;
    return new QueryDescription(null, null, null, text, text, false);
  }

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
