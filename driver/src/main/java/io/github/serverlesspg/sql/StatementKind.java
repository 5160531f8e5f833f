package io.github.serverlesspg.sql;

import io.github.serverlesspg.sql.SqlLexer.Kind;
import java.util.Locale;

/**
 * What a statement does to the server's transaction, recognized from its leading keywords: transaction control that a
 * transaction-mode connection must never wrap in a transaction of its own, and commands PostgreSQL refuses inside a
 * transaction block ("cannot run inside a transaction block", SQLSTATE 25001).
 *
 * <p>Like {@link SessionStateCheck}, one pass over the tokens, strings, comments and quoted identifiers never match,
 * nothing is allocated for ordinary SQL.
 */
public enum StatementKind {
  /** Anything else: runs inside whatever transaction is open, or as its own. */
  ORDINARY,
  /** {@code BEGIN}, {@code START TRANSACTION}. */
  BEGIN,
  /** {@code COMMIT}, {@code END} (also {@code AND CHAIN}). */
  COMMIT,
  /** {@code ROLLBACK}, {@code ABORT}, without {@code TO}. */
  ROLLBACK,
  /** {@code SAVEPOINT name}. */
  SAVEPOINT,
  /** {@code RELEASE [SAVEPOINT] name}. */
  RELEASE,
  /** {@code ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] name}. */
  ROLLBACK_TO,
  /** {@code PREPARE TRANSACTION 'id'}: ends the session's transaction, detached for two-phase commit. */
  PREPARE_TRANSACTION,
  /** Several {@code ;}-separated statements, at least one of them transaction control. */
  SEVERAL_WITH_TRANSACTION_CONTROL,
  /**
   * Refused inside a transaction block, and means the same whatever the {@code search_path}: {@code CREATE/DROP
   * DATABASE}, {@code CREATE/DROP TABLESPACE}, {@code ALTER SYSTEM}, {@code COMMIT/ROLLBACK PREPARED}, {@code VACUUM}
   * of the whole database, {@code REINDEX DATABASE/SYSTEM/SCHEMA}, {@code CLUSTER} of everything, {@code DISCARD ALL},
   * and the commands of {@link #NON_TRANSACTIONAL_BY_NAME} whose relation names are all schema-qualified.
   */
  NON_TRANSACTIONAL,
  /**
   * Refused inside a transaction block, and names a relation without its schema, so the {@code search_path} decides
   * what it acts on: {@code CREATE INDEX CONCURRENTLY}, {@code DROP INDEX CONCURRENTLY}, {@code REINDEX ...
   * CONCURRENTLY}, {@code VACUUM table}, {@code ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY}.
   */
  NON_TRANSACTIONAL_BY_NAME;

  /** Whether the statement begins, ends or changes the server's transaction (never wrapped in another one). */
  public boolean isTransactionControl() {
    return this != ORDINARY && this != NON_TRANSACTIONAL && this != NON_TRANSACTIONAL_BY_NAME;
  }

  /** Whether PostgreSQL refuses the statement inside a transaction block. */
  public boolean isNonTransactional() {
    return this == NON_TRANSACTIONAL || this == NON_TRANSACTIONAL_BY_NAME;
  }

  /** The kind of {@code sql}; {@link #ORDINARY} for null or empty text. Never throws. */
  public static StatementKind of(String sql) {
    if (sql == null) {
      return ORDINARY;
    }
    int n = sql.length();
    int start = SqlLexer.skipTrivia(sql, 0);
    if (start >= n) {
      return ORDINARY;
    }
    StatementKind first = leading(sql, start);
    int next = nextStatement(sql, start);
    if (next >= n) {
      return first;
    }
    // Several statements: PostgreSQL runs them as one implicit transaction, so only transaction control matters.
    boolean control = first.isTransactionControl();
    while (next < n && !control) {
      control = leading(sql, next).isTransactionControl();
      next = nextStatement(sql, next);
    }
    return control ? SEVERAL_WITH_TRANSACTION_CONTROL : ORDINARY;
  }

  /**
   * Whether {@code sql} holds exactly one statement (trailing semicolons and comments aside): the split pgjdbc makes
   * too, at semicolons outside strings, comments, quoted identifiers and parentheses.
   */
  public static boolean isOneStatement(String sql) {
    if (sql == null) {
      return false;
    }
    int start = SqlLexer.skipTrivia(sql, 0);
    if (start >= sql.length() || SqlLexer.isSymbol(sql, start, ';')) {
      return false;
    }
    // After it, only what pgjdbc drops: semicolons and white space (a comment would be sent as a statement of its own).
    for (int i = statementEnd(sql, start); i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c != ';' && !Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code sql} starts with {@code CALL} or {@code DO}: procedure code, which may commit or roll back the
   * transaction it runs in when it runs outside a transaction block.
   */
  public static boolean mayEndItsTransaction(String sql) {
    int start = SqlLexer.skipTrivia(sql, 0);
    return wordAt(sql, start, "CALL") || wordAt(sql, start, "DO");
  }

  /**
   * The name of the savepoint a {@link #SAVEPOINT}, {@link #RELEASE} or {@link #ROLLBACK_TO} statement names, as the
   * server sees it (unquoted names folded to lower case), or null.
   */
  public static String savepointName(String sql) {
    int i = SqlLexer.skipTrivia(sql, 0);
    int last = -1;
    // The name is the last word or quoted identifier of the statement.
    while (i < sql.length() && !SqlLexer.isSymbol(sql, i, ';')) {
      Kind kind = SqlLexer.kind(sql, i);
      if (kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER) {
        last = i;
      }
      i = SqlLexer.skipTrivia(sql, SqlLexer.end(sql, i, kind));
    }
    return last < 0 ? null : identifier(sql, last);
  }

  /**
   * A server-side identifier as PostgreSQL resolves it: {@code "Quoted"} keeps its case, unquoted folds to lower case.
   */
  public static String identifier(String text, int start) {
    Kind kind = SqlLexer.kind(text, start);
    int end = SqlLexer.end(text, start, kind);
    if (kind == Kind.QUOTED_IDENTIFIER && text.charAt(start) == '"') {
      return text.substring(start + 1, Math.max(start + 1, end - 1)).replace("\"\"", "\"");
    }
    return text.substring(start, end).toLowerCase(Locale.ROOT);
  }

  /** Whether {@code sql} is {@code DISCARD ALL}, which resets every session setting to the connection's defaults. */
  public static boolean isDiscardAll(String sql) {
    int start = SqlLexer.skipTrivia(sql, 0);
    return wordAt(sql, start, "DISCARD") && wordAt(sql, nextToken(sql, start), "ALL");
  }

  /** Whether a {@link #BEGIN} statement names its own isolation level (so the handle's level must not replace it). */
  public static boolean namesIsolationLevel(String sql) {
    for (int i = SqlLexer.skipTrivia(sql, 0); i < sql.length(); ) {
      Kind kind = SqlLexer.kind(sql, i);
      int end = SqlLexer.end(sql, i, kind);
      if (kind == Kind.WORD && SqlLexer.isKeyword(sql, i, end, "ISOLATION")) {
        return true;
      }
      i = SqlLexer.skipTrivia(sql, end);
    }
    return false;
  }

  /** The start of the statement after the one at {@code from}, or the text's length. */
  private static int nextStatement(String sql, int from) {
    int end = statementEnd(sql, from);
    return end < sql.length() ? skipSemicolons(sql, end + 1) : end;
  }

  /**
   * The semicolon that ends the statement at {@code from}, or the text's length: the next one outside strings,
   * comments, quoted identifiers and parentheses, counted as pgjdbc counts them.
   */
  private static int statementEnd(String sql, int from) {
    int depth = 0;
    int i = from;
    while (i < sql.length()) {
      Kind kind = SqlLexer.kind(sql, i);
      int end = SqlLexer.end(sql, i, kind);
      if (kind == Kind.SYMBOL) {
        char c = sql.charAt(i);
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--; // unbalanced as in pgjdbc's parser, which splits where the count is zero again: ")(;x" is two
        } else if (c == ';' && depth == 0) {
          return i;
        }
      }
      i = SqlLexer.skipTrivia(sql, end);
    }
    return sql.length();
  }

  private static int skipSemicolons(String sql, int from) {
    int i = SqlLexer.skipTrivia(sql, from);
    while (SqlLexer.isSymbol(sql, i, ';')) {
      i = SqlLexer.skipTrivia(sql, i + 1);
    }
    return i;
  }

  private static StatementKind leading(String sql, int start) {
    if (start >= sql.length() || SqlLexer.kind(sql, start) != Kind.WORD) {
      return ORDINARY;
    }
    int end = SqlLexer.end(sql, start, Kind.WORD);
    int second = SqlLexer.skipTrivia(sql, end);
    switch (Character.toUpperCase(sql.charAt(start))) {
      case 'B':
        return SqlLexer.isKeyword(sql, start, end, "BEGIN") ? BEGIN : ORDINARY;
      case 'S':
        if (SqlLexer.isKeyword(sql, start, end, "START")) {
          return wordAt(sql, second, "TRANSACTION") ? BEGIN : ORDINARY;
        }
        return SqlLexer.isKeyword(sql, start, end, "SAVEPOINT") ? SAVEPOINT : ORDINARY;
      case 'C':
        if (SqlLexer.isKeyword(sql, start, end, "COMMIT")) {
          return wordAt(sql, second, "PREPARED") ? NON_TRANSACTIONAL : COMMIT;
        }
        if (SqlLexer.isKeyword(sql, start, end, "CREATE")) {
          return create(sql, second);
        }
        if (SqlLexer.isKeyword(sql, start, end, "CLUSTER")) {
          return atStatementEnd(sql, second) ? NON_TRANSACTIONAL : ORDINARY;
        }
        return ORDINARY;
      case 'E':
        return SqlLexer.isKeyword(sql, start, end, "END") ? COMMIT : ORDINARY;
      case 'A':
        if (SqlLexer.isKeyword(sql, start, end, "ABORT")) {
          return ROLLBACK;
        }
        return SqlLexer.isKeyword(sql, start, end, "ALTER") ? alter(sql, second) : ORDINARY;
      case 'R':
        if (SqlLexer.isKeyword(sql, start, end, "ROLLBACK")) {
          return rollback(sql, second);
        }
        if (SqlLexer.isKeyword(sql, start, end, "RELEASE")) {
          return RELEASE;
        }
        return SqlLexer.isKeyword(sql, start, end, "REINDEX") ? reindex(sql, second) : ORDINARY;
      case 'P':
        return SqlLexer.isKeyword(sql, start, end, "PREPARE") && wordAt(sql, second, "TRANSACTION")
            ? PREPARE_TRANSACTION : ORDINARY;
      case 'V':
        return SqlLexer.isKeyword(sql, start, end, "VACUUM") ? vacuum(sql, second) : ORDINARY;
      case 'D':
        if (SqlLexer.isKeyword(sql, start, end, "DROP")) {
          return drop(sql, second);
        }
        return SqlLexer.isKeyword(sql, start, end, "DISCARD") && wordAt(sql, second, "ALL")
            ? NON_TRANSACTIONAL : ORDINARY;
      default:
        return ORDINARY;
    }
  }

  private static StatementKind rollback(String sql, int second) {
    int i = second;
    if (wordAt(sql, i, "PREPARED")) {
      return NON_TRANSACTIONAL;
    }
    if (wordAt(sql, i, "WORK") || wordAt(sql, i, "TRANSACTION")) {
      i = nextToken(sql, i);
    }
    return wordAt(sql, i, "TO") ? ROLLBACK_TO : ROLLBACK;
  }

  /** {@code CREATE DATABASE}, {@code CREATE TABLESPACE}, {@code CREATE [UNIQUE] INDEX CONCURRENTLY ... ON table}. */
  private static StatementKind create(String sql, int at) {
    if (wordAt(sql, at, "DATABASE") || wordAt(sql, at, "TABLESPACE") || wordAt(sql, at, "SUBSCRIPTION")) {
      return NON_TRANSACTIONAL;
    }
    int i = wordAt(sql, at, "UNIQUE") ? nextToken(sql, at) : at;
    if (!wordAt(sql, i, "INDEX") || !wordAt(sql, nextToken(sql, i), "CONCURRENTLY")) {
      return ORDINARY;
    }
    // The table follows ON (at depth 0); the index's own name cannot carry a schema.
    for (i = nextToken(sql, i); i < sql.length() && !SqlLexer.isSymbol(sql, i, ';'); i = nextToken(sql, i)) {
      if (wordAt(sql, i, "ON")) {
        int table = nextToken(sql, i);
        table = wordAt(sql, table, "ONLY") ? nextToken(sql, table) : table;
        return qualifiedName(sql, table) > 0 ? NON_TRANSACTIONAL : NON_TRANSACTIONAL_BY_NAME;
      }
    }
    return NON_TRANSACTIONAL_BY_NAME;
  }

  /** {@code DROP DATABASE}, {@code DROP TABLESPACE}, {@code DROP INDEX CONCURRENTLY [IF EXISTS] names}. */
  private static StatementKind drop(String sql, int at) {
    if (wordAt(sql, at, "DATABASE") || wordAt(sql, at, "TABLESPACE") || wordAt(sql, at, "SUBSCRIPTION")) {
      return NON_TRANSACTIONAL;
    }
    if (!wordAt(sql, at, "INDEX")) {
      return ORDINARY;
    }
    int i = nextToken(sql, at);
    if (!wordAt(sql, i, "CONCURRENTLY")) {
      return ORDINARY;
    }
    i = nextToken(sql, i);
    if (wordAt(sql, i, "IF")) {
      i = nextToken(sql, nextToken(sql, i)); // IF EXISTS
    }
    return qualifiedList(sql, i) ? NON_TRANSACTIONAL : NON_TRANSACTIONAL_BY_NAME;
  }

  /** {@code ALTER SYSTEM}, {@code ALTER TABLE t DETACH PARTITION p CONCURRENTLY}. */
  private static StatementKind alter(String sql, int at) {
    if (wordAt(sql, at, "SYSTEM")) {
      return NON_TRANSACTIONAL;
    }
    if (!wordAt(sql, at, "TABLE")) {
      return ORDINARY;
    }
    boolean qualified = true;
    boolean detach = false;
    boolean concurrently = false;
    int i = nextToken(sql, at);
    i = wordAt(sql, i, "IF") ? nextToken(sql, nextToken(sql, i)) : i;
    i = wordAt(sql, i, "ONLY") ? nextToken(sql, i) : i;
    qualified &= qualifiedName(sql, i) > 0;
    for (; i < sql.length() && !SqlLexer.isSymbol(sql, i, ';'); i = nextToken(sql, i)) {
      if (wordAt(sql, i, "PARTITION") && detach) {
        qualified &= qualifiedName(sql, nextToken(sql, i)) > 0;
      }
      detach |= wordAt(sql, i, "DETACH");
      concurrently |= detach && wordAt(sql, i, "CONCURRENTLY");
    }
    if (!concurrently) {
      return ORDINARY;
    }
    return qualified ? NON_TRANSACTIONAL : NON_TRANSACTIONAL_BY_NAME;
  }

  /**
   * {@code REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] name}: refused in a transaction
   * block with {@code CONCURRENTLY}, and for {@code DATABASE} and {@code SYSTEM} always.
   */
  private static StatementKind reindex(String sql, int at) {
    int i = skipParenthesized(sql, at);
    boolean byName = wordAt(sql, i, "INDEX") || wordAt(sql, i, "TABLE");
    boolean wholeDatabase = wordAt(sql, i, "DATABASE") || wordAt(sql, i, "SYSTEM");
    i = nextToken(sql, i);
    boolean concurrently = wordAt(sql, i, "CONCURRENTLY");
    if (!concurrently) {
      return wholeDatabase ? NON_TRANSACTIONAL : ORDINARY;
    }
    if (!byName) {
      return NON_TRANSACTIONAL;
    }
    return qualifiedName(sql, nextToken(sql, i)) > 0 ? NON_TRANSACTIONAL : NON_TRANSACTIONAL_BY_NAME;
  }

  /** {@code VACUUM [(options)] [FULL] [FREEZE] [VERBOSE] [ANALYZE] [table [(columns)] [, ...]]}. */
  private static StatementKind vacuum(String sql, int at) {
    int i = skipParenthesized(sql, at);
    while (wordAt(sql, i, "FULL") || wordAt(sql, i, "FREEZE") || wordAt(sql, i, "VERBOSE")
        || wordAt(sql, i, "ANALYZE") || wordAt(sql, i, "ANALYSE")) {
      i = nextToken(sql, i);
    }
    if (atStatementEnd(sql, i)) {
      return NON_TRANSACTIONAL;
    }
    return qualifiedList(sql, i) ? NON_TRANSACTIONAL : NON_TRANSACTIONAL_BY_NAME;
  }

  /** Whether every name of {@code name [(...)] [, name [(...)]]...} is schema-qualified. */
  private static boolean qualifiedList(String sql, int from) {
    int i = from;
    while (true) {
      int after = qualifiedName(sql, i);
      if (after < 0) {
        return false;
      }
      i = skipParenthesized(sql, after);
      if (!SqlLexer.isSymbol(sql, i, ',')) {
        return true;
      }
      i = SqlLexer.skipTrivia(sql, i + 1);
    }
  }

  /** The position after {@code schema.name} at {@code at}, or -1 when there is no schema-qualified name there. */
  private static int qualifiedName(String sql, int at) {
    if (!isName(sql, at)) {
      return -1;
    }
    int dot = nextToken(sql, at);
    if (!SqlLexer.isSymbol(sql, dot, '.')) {
      return -1;
    }
    int name = SqlLexer.skipTrivia(sql, dot + 1);
    return isName(sql, name) ? nextToken(sql, name) : -1;
  }

  private static boolean isName(String sql, int at) {
    if (at >= sql.length()) {
      return false;
    }
    Kind kind = SqlLexer.kind(sql, at);
    return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
  }

  private static int skipParenthesized(String sql, int at) {
    if (!SqlLexer.isSymbol(sql, at, '(')) {
      return at;
    }
    int depth = 0;
    int i = at;
    while (i < sql.length()) {
      if (SqlLexer.isSymbol(sql, i, '(')) {
        depth++;
      } else if (SqlLexer.isSymbol(sql, i, ')') && --depth == 0) {
        return nextToken(sql, i);
      }
      i = nextToken(sql, i);
    }
    return i;
  }

  private static boolean atStatementEnd(String sql, int at) {
    return at >= sql.length() || SqlLexer.isSymbol(sql, at, ';');
  }

  private static boolean wordAt(String sql, int start, String keyword) {
    return start < sql.length()
        && SqlLexer.kind(sql, start) == Kind.WORD
        && SqlLexer.isKeyword(sql, start, SqlLexer.end(sql, start, Kind.WORD), keyword);
  }

  private static int nextToken(String sql, int start) {
    return start < sql.length() ? SqlLexer.skipTrivia(sql, SqlLexer.end(sql, start)) : start;
  }
}
