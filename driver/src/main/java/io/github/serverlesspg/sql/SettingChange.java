package io.github.serverlesspg.sql;

import java.util.Locale;

/**
 * A session-level setting change ({@code SET}, {@code RESET}, {@code set_config(name, value, false)}) rewritten to its
 * transaction-scoped equivalent, so that a transaction-mode connection can apply it to the current transaction and
 * remember it for the next ones instead of leaving it on a pooled server connection. {@link #parse} returns null for
 * anything it cannot rewrite exactly (several statements, a parameter as the setting's name, ...).
 */
public final class SettingChange {
  /** What the change does to the remembered settings. */
  public enum Kind {
    /** Remember the setting's new value. */
    SET,
    /** Forget the setting (back to the server's default). */
    RESET,
    /** Forget every setting. */
    RESET_ALL
  }

  private final Kind kind;
  private final String name;
  private final String transactionScopedSql;

  private SettingChange(Kind kind, String name, String transactionScopedSql) {
    this.kind = kind;
    this.name = name;
    this.transactionScopedSql = transactionScopedSql;
  }

  public Kind kind() {
    return kind;
  }

  /** The setting's name in lower case ({@code search_path}, {@code timezone}, {@code role}...); null for RESET ALL. */
  public String name() {
    return name;
  }

  /** The statement to run instead: {@code SET LOCAL ...}, or {@code set_config(..., true)}. */
  public String transactionScopedSql() {
    return transactionScopedSql;
  }

  /**
   * {@code sql} fit for a log line: every {@code SET} statement keeps its keywords and the setting's name only, its
   * value (quoted or not, a role or user name included) becomes {@code ?}; the other statements lose their literals.
   * A setting's value may be a secret ({@code SET app.api_key = 'sk_live_...'}).
   */
  public static String logShape(String sql) {
    if (sql == null) {
      return "";
    }
    StringBuilder shape = new StringBuilder(sql.length());
    int copied = 0;
    boolean atStatementStart = true;
    for (int i = SqlLexer.skipTrivia(sql, 0); i < sql.length(); ) {
      SqlLexer.Kind kind = SqlLexer.kind(sql, i);
      int end = SqlLexer.end(sql, i, kind);
      if (atStatementStart && kind == SqlLexer.Kind.WORD && SqlLexer.isKeyword(sql, i, end, "SET")) {
        int valueStart = setValueStart(sql, SqlLexer.skipTrivia(sql, end));
        shape.append(sql, copied, valueStart).append(valueStart < sql.length() ? " ?" : "");
        end = statementEnd(sql, valueStart);
        copied = end;
      }
      atStatementStart = kind == SqlLexer.Kind.SYMBOL && sql.charAt(i) == ';';
      i = SqlLexer.skipTrivia(sql, end);
    }
    shape.append(sql, copied, sql.length());
    return QueryTextSanitizer.sanitize(shape.toString().trim());
  }

  /**
   * Where the value of {@code SET [SESSION|LOCAL] ...} starts: after {@code =} or {@code TO}, after {@code TIME ZONE},
   * {@code ROLE}, {@code SESSION AUTHORIZATION}, and at the first token that is not a plain or dotted name.
   */
  private static int setValueStart(String sql, int at) {
    int i = at;
    while (i < sql.length()) {
      SqlLexer.Kind kind = SqlLexer.kind(sql, i);
      int end = SqlLexer.end(sql, i, kind);
      if (kind == SqlLexer.Kind.SYMBOL && sql.charAt(i) == '=') {
        return i + 1;
      }
      boolean name = kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.QUOTED_IDENTIFIER
          || (kind == SqlLexer.Kind.SYMBOL && sql.charAt(i) == '.');
      if (!name) {
        return i;
      }
      if (kind == SqlLexer.Kind.WORD && (SqlLexer.isKeyword(sql, i, end, "TO") || SqlLexer.isKeyword(sql, i, end, "ZONE")
          || SqlLexer.isKeyword(sql, i, end, "ROLE") || SqlLexer.isKeyword(sql, i, end, "AUTHORIZATION"))) {
        return end;
      }
      i = SqlLexer.skipTrivia(sql, end);
    }
    return i;
  }

  /** The transaction-scoped rewrite of {@code sql}, or null when it is not a single rewritable setting change. */
  public static SettingChange parse(String sql) {
    int start = SqlLexer.skipTrivia(sql, 0);
    if (start >= sql.length() || SqlLexer.kind(sql, start) != SqlLexer.Kind.WORD) {
      return null;
    }
    int end = SqlLexer.end(sql, start);
    SettingChange change;
    int statementEnd;
    if (SqlLexer.isKeyword(sql, start, end, "SET")) {
      int[] bounds = new int[1];
      change = set(sql, SqlLexer.skipTrivia(sql, end), bounds);
      statementEnd = bounds[0];
    } else if (SqlLexer.isKeyword(sql, start, end, "RESET")) {
      int[] bounds = new int[1];
      change = reset(sql, SqlLexer.skipTrivia(sql, end), bounds);
      statementEnd = bounds[0];
    } else if (SqlLexer.isKeyword(sql, start, end, "SELECT")) {
      int[] bounds = new int[1];
      change = setConfig(sql, SqlLexer.skipTrivia(sql, end), bounds);
      statementEnd = bounds[0];
    } else {
      return null;
    }
    return change != null && isOnlyStatement(sql, statementEnd) ? change : null;
  }

  /** {@code SET [SESSION] name {TO|=} value}, {@code SET [SESSION] TIME ZONE value}, {@code SET [SESSION] ROLE x}. */
  private static SettingChange set(String sql, int at, int[] statementEnd) {
    int word = at;
    int wordEnd = nameEnd(sql, word);
    if (wordEnd < 0) {
      return null;
    }
    if (SqlLexer.isKeyword(sql, word, wordEnd, "SESSION")) {
      word = SqlLexer.skipTrivia(sql, wordEnd);
      wordEnd = wordEnd(sql, word);
      if (wordEnd < 0 || SqlLexer.isKeyword(sql, word, wordEnd, "CHARACTERISTICS")
          || SqlLexer.isKeyword(sql, word, wordEnd, "AUTHORIZATION")) {
        return null;
      }
    }
    if (SqlLexer.isKeyword(sql, word, wordEnd, "LOCAL") || SqlLexer.isKeyword(sql, word, wordEnd, "TRANSACTION")
        || SqlLexer.isKeyword(sql, word, wordEnd, "CONSTRAINTS")) {
      return null; // already transaction-scoped
    }
    String name;
    if (SqlLexer.isKeyword(sql, word, wordEnd, "TIME")) {
      int zone = SqlLexer.skipTrivia(sql, wordEnd);
      int zoneEnd = wordEnd(sql, zone);
      if (zoneEnd < 0 || !SqlLexer.isKeyword(sql, zone, zoneEnd, "ZONE")) {
        return null;
      }
      name = "timezone";
    } else {
      name = dottedName(sql, word);
      if (name == null) {
        return null;
      }
    }
    statementEnd[0] = statementEnd(sql, word);
    return new SettingChange(Kind.SET, name, "SET LOCAL " + sql.substring(word, statementEnd[0]).trim());
  }

  /** {@code RESET name}, {@code RESET TIME ZONE}, {@code RESET ALL}. */
  private static SettingChange reset(String sql, int at, int[] statementEnd) {
    int wordEnd = nameEnd(sql, at);
    if (wordEnd < 0) {
      return null;
    }
    if (SqlLexer.isKeyword(sql, at, wordEnd, "ALL")) {
      statementEnd[0] = statementEnd(sql, at);
      // Transaction-scoped: the caller resets the settings it applied, never the pooled session's.
      return new SettingChange(Kind.RESET_ALL, null, "SET LOCAL search_path TO DEFAULT");
    }
    if (SqlLexer.isKeyword(sql, at, wordEnd, "TIME")) {
      statementEnd[0] = statementEnd(sql, at);
      return new SettingChange(Kind.RESET, "timezone", "SET LOCAL TIME ZONE DEFAULT");
    }
    String name = dottedName(sql, at);
    if (name == null) {
      return null;
    }
    statementEnd[0] = statementEnd(sql, at);
    return new SettingChange(Kind.RESET, name, "SET LOCAL " + name + " TO DEFAULT");
  }

  /** {@code SELECT set_config('name', value, false)} with a literal name and a literal third argument. */
  private static SettingChange setConfig(String sql, int at, int[] statementEnd) {
    int end = wordEnd(sql, at);
    if (end < 0 || !SqlLexer.isKeyword(sql, at, end, "SET_CONFIG")) {
      return null;
    }
    int open = SqlLexer.skipTrivia(sql, end);
    if (!SqlLexer.isSymbol(sql, open, '(')) {
      return null;
    }
    int nameStart = SqlLexer.skipTrivia(sql, open + 1);
    if (nameStart >= sql.length() || SqlLexer.kind(sql, nameStart) != SqlLexer.Kind.STRING
        || sql.charAt(nameStart) != '\'') {
      return null;
    }
    int nameEnd = SqlLexer.end(sql, nameStart, SqlLexer.Kind.STRING);
    String literal = sql.substring(nameStart + 1, nameEnd - 1);
    if (literal.indexOf('\'') >= 0) {
      return null;
    }
    int comma = SqlLexer.skipTrivia(sql, nameEnd);
    if (!SqlLexer.isSymbol(sql, comma, ',')) {
      return null;
    }
    int value = SqlLexer.skipTrivia(sql, comma + 1);
    if (value >= sql.length()) {
      return null;
    }
    int valueEnd = SqlLexer.end(sql, value);
    int secondComma = SqlLexer.skipTrivia(sql, valueEnd);
    if (!SqlLexer.isSymbol(sql, secondComma, ',')) {
      return null;
    }
    int local = SqlLexer.skipTrivia(sql, secondComma + 1);
    if (local >= sql.length()) {
      return null;
    }
    int localEnd = SqlLexer.end(sql, local);
    if (!isFalse(sql, local, localEnd)) {
      return null;
    }
    int close = SqlLexer.skipTrivia(sql, localEnd);
    if (!SqlLexer.isSymbol(sql, close, ')')) {
      return null;
    }
    statementEnd[0] = SqlLexer.skipTrivia(sql, close + 1);
    String rewritten = sql.substring(0, local) + "true" + sql.substring(localEnd, close + 1);
    return new SettingChange(Kind.SET, literal.toLowerCase(Locale.ROOT), rewritten.trim());
  }

  private static boolean isFalse(String sql, int start, int end) {
    if (SqlLexer.isKeyword(sql, start, end, "FALSE")) {
      return true;
    }
    String token = sql.substring(start, end).toLowerCase(Locale.ROOT);
    return token.equals("'f'") || token.equals("'false'") || token.equals("'off'") || token.equals("'no'")
        || token.equals("'0'");
  }

  /** The end of the word token at {@code at}, or -1 if there is none. */
  private static int wordEnd(String sql, int at) {
    return at < sql.length() && SqlLexer.kind(sql, at) == SqlLexer.Kind.WORD ? SqlLexer.end(sql, at) : -1;
  }

  /**
   * {@code name} or {@code prefix.name} at {@code at}, each part a word or a quoted identifier, as the server names
   * the setting (lower case: setting names ignore case), or null.
   */
  private static String dottedName(String sql, int at) {
    int end = nameEnd(sql, at);
    if (end < 0) {
      return null;
    }
    int dot = SqlLexer.skipTrivia(sql, end);
    if (SqlLexer.isSymbol(sql, dot, '.')) {
      int second = SqlLexer.skipTrivia(sql, dot + 1);
      if (nameEnd(sql, second) < 0) {
        return null;
      }
      return (StatementKind.identifier(sql, at) + "." + StatementKind.identifier(sql, second)).toLowerCase(Locale.ROOT);
    }
    return StatementKind.identifier(sql, at).toLowerCase(Locale.ROOT);
  }

  /** The end of the word or quoted identifier at {@code at}, or -1 if there is none. */
  private static int nameEnd(String sql, int at) {
    if (at >= sql.length()) {
      return -1;
    }
    SqlLexer.Kind kind = SqlLexer.kind(sql, at);
    return kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.QUOTED_IDENTIFIER ? SqlLexer.end(sql, at, kind) : -1;
  }

  /** The start of the first {@code ;} at or after {@code from}, or the text's length. */
  private static int statementEnd(String sql, int from) {
    int at = SqlLexer.skipTrivia(sql, from);
    while (at < sql.length() && !SqlLexer.isSymbol(sql, at, ';')) {
      at = SqlLexer.skipTrivia(sql, SqlLexer.end(sql, at));
    }
    return at;
  }

  /** Whether nothing but an optional {@code ;} and trivia follows {@code at}. */
  private static boolean isOnlyStatement(String sql, int at) {
    int next = SqlLexer.skipTrivia(sql, at);
    if (SqlLexer.isSymbol(sql, next, ';')) {
      next = SqlLexer.skipTrivia(sql, next + 1);
    }
    return next >= sql.length();
  }
}
