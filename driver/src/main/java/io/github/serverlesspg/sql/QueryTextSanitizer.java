package io.github.serverlesspg.sql;

import io.github.serverlesspg.sql.SqlLexer.Kind;

/**
 * Replaces literals with {@code ?}, as the OpenTelemetry database conventions ask before non-parameterized
 * text is recorded as {@code db.query.text} ("Sanitization SHOULD replace all literals with a placeholder
 * value … String, Numeric, … Boolean … The placeholder value SHOULD be {@code ?}").
 *
 * <p>Typed literals such as {@code DATE '2024-01-01'} or {@code INTERVAL '1 day'} keep their type name and
 * lose their string. Everything else, comments and placeholders included, stays as written.
 */
final class QueryTextSanitizer {

  private QueryTextSanitizer() {}

  /** {@code sql} with every literal replaced by {@code ?}; the same instance when it has none. */
  static String sanitize(String sql) {
    StringBuilder out = null;
    int copied = 0;
    int n = sql.length();
    for (int i = SqlLexer.skipTrivia(sql, 0); i < n; ) {
      Kind kind = SqlLexer.kind(sql, i);
      int end = SqlLexer.end(sql, i, kind);
      if (isLiteral(sql, i, end, kind)) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(sql, copied, i).append('?');
        copied = end;
      }
      i = SqlLexer.skipTrivia(sql, end);
    }
    return out == null ? sql : out.append(sql, copied, n).toString();
  }

  /** Whether {@code sql} has a {@code $n} or JDBC {@code ?} placeholder, that is, is parameterized. */
  static boolean hasParameters(String sql) {
    int n = sql.length();
    for (int i = SqlLexer.skipTrivia(sql, 0); i < n; ) {
      Kind kind = SqlLexer.kind(sql, i);
      if (kind == Kind.PARAMETER) {
        return true;
      }
      i = SqlLexer.skipTrivia(sql, SqlLexer.end(sql, i, kind));
    }
    return false;
  }

  // TRUE and FALSE are reserved words in PostgreSQL, so as bare words they are always boolean literals.
  private static boolean isLiteral(String sql, int start, int end, Kind kind) {
    return kind == Kind.STRING
        || kind == Kind.NUMBER
        || (kind == Kind.WORD
            && (SqlLexer.isKeyword(sql, start, end, "TRUE") || SqlLexer.isKeyword(sql, start, end, "FALSE")));
  }
}
