package io.github.serverlesspg.sql;

import io.github.serverlesspg.sql.SqlLexer.Kind;

/**
 * Recognizes SQL that creates session-level state, which cannot work behind a transaction-mode pooler.
 *
 * <p>Runs on every statement execution, so it makes one pass over the characters (plus one bounded look
 * ahead in the rare {@code DECLARE} and {@code CREATE TEMP} statements), allocates nothing, and never
 * upper-cases the text. Strings, comments and quoted identifiers never match. Each {@code ;}-separated
 * statement is checked; the first feature found wins.
 */
public final class SessionStateCheck {

  private static final int NO_CALL = -1;

  private SessionStateCheck() {}

  /**
   * The first session-level feature in {@code sql}, or {@link SessionFeature#NONE} (also for {@code null}).
   * Never throws.
   */
  public static SessionFeature find(String sql) {
    if (sql == null) {
      return SessionFeature.NONE;
    }
    int n = sql.length();
    boolean atStatementStart = true;
    int depth = 0;
    int previousWordStart = -1;
    int previousWordEnd = -1;
    // set_config(…) being read: the parenthesis depth of its arguments and the commas seen at that depth.
    int setConfigDepth = NO_CALL;
    int setConfigCommas = 0;
    for (int i = SqlLexer.skipTrivia(sql, 0); i < n; ) {
      Kind kind = SqlLexer.kind(sql, i);
      int end = SqlLexer.end(sql, i, kind);
      if (setConfigDepth == depth && setConfigCommas == 2) {
        setConfigDepth = NO_CALL;
        if (isFalseLiteral(sql, i, end, kind)) {
          return SessionFeature.SET_CONFIG;
        }
      }
      if (kind == Kind.SYMBOL) {
        char c = sql.charAt(i);
        if (c == ';') {
          atStatementStart = true;
          depth = 0;
          setConfigDepth = NO_CALL;
        } else if (c == '(') {
          depth++;
        } else if (c == ')') {
          if (depth == setConfigDepth) {
            setConfigDepth = NO_CALL;
          }
          depth = Math.max(0, depth - 1);
          atStatementStart = false;
        } else {
          if (c == ',' && depth == setConfigDepth) {
            setConfigCommas++;
          }
          atStatementStart = false;
        }
      } else if (kind == Kind.WORD) {
        if (atStatementStart) {
          SessionFeature leading = leadingKeyword(sql, i, end);
          if (leading != SessionFeature.NONE) {
            return leading;
          }
          atStatementStart = false;
        }
        int next = SqlLexer.skipTrivia(sql, end);
        if (SqlLexer.isSymbol(sql, next, '(')) {
          if (isSessionAdvisoryLock(sql, i, end)) {
            return SessionFeature.ADVISORY_LOCK;
          }
          if (SqlLexer.isKeyword(sql, i, end, "SET_CONFIG")) {
            setConfigDepth = depth + 1;
            setConfigCommas = 0;
          }
        } else if (SqlLexer.isKeyword(sql, i, end, "INTO")
            && !isWord(sql, previousWordStart, previousWordEnd, "INSERT")
            && !isWord(sql, previousWordStart, previousWordEnd, "MERGE")
            && startsTemporaryName(sql, next)) {
          return SessionFeature.TEMP_TABLE;
        }
        previousWordStart = i;
        previousWordEnd = end;
      } else {
        atStatementStart = false;
      }
      i = SqlLexer.skipTrivia(sql, end);
    }
    return SessionFeature.NONE;
  }

  /** The statement-level commands, recognized by the first word of a statement. */
  private static SessionFeature leadingKeyword(String sql, int start, int end) {
    int next = SqlLexer.skipTrivia(sql, end);
    switch (Character.toUpperCase(sql.charAt(start))) {
      case 'S':
        return SqlLexer.isKeyword(sql, start, end, "SET") ? set(sql, next) : SessionFeature.NONE;
      case 'R':
        return SqlLexer.isKeyword(sql, start, end, "RESET") ? SessionFeature.RESET : SessionFeature.NONE;
      case 'L':
        if (SqlLexer.isKeyword(sql, start, end, "LISTEN")) {
          return SessionFeature.LISTEN;
        }
        return SqlLexer.isKeyword(sql, start, end, "LOAD") ? SessionFeature.LOAD : SessionFeature.NONE;
      case 'U':
        return SqlLexer.isKeyword(sql, start, end, "UNLISTEN") ? SessionFeature.LISTEN : SessionFeature.NONE;
      case 'P':
        // PREPARE TRANSACTION is two-phase commit: it detaches the transaction from the session.
        return SqlLexer.isKeyword(sql, start, end, "PREPARE") && !wordAt(sql, next, "TRANSACTION")
            ? SessionFeature.PREPARED_STATEMENT
            : SessionFeature.NONE;
      case 'E':
        return SqlLexer.isKeyword(sql, start, end, "EXECUTE")
            ? SessionFeature.PREPARED_STATEMENT
            : SessionFeature.NONE;
      case 'D':
        if (SqlLexer.isKeyword(sql, start, end, "DEALLOCATE")) {
          return SessionFeature.PREPARED_STATEMENT;
        }
        return SqlLexer.isKeyword(sql, start, end, "DECLARE") && declaresHoldCursor(sql, next)
            ? SessionFeature.HOLD_CURSOR
            : SessionFeature.NONE;
      case 'C':
        return SqlLexer.isKeyword(sql, start, end, "CREATE") && createsTemporaryObject(sql, next)
            ? SessionFeature.TEMP_TABLE
            : SessionFeature.NONE;
      default:
        return SessionFeature.NONE;
    }
  }

  /** {@code SET LOCAL}, {@code SET TRANSACTION} and {@code SET CONSTRAINTS} end with the transaction. */
  private static SessionFeature set(String sql, int next) {
    if (wordAt(sql, next, "LOCAL") || wordAt(sql, next, "TRANSACTION") || wordAt(sql, next, "CONSTRAINTS")) {
      return SessionFeature.NONE;
    }
    if (wordAt(sql, next, "SESSION")) {
      int after = SqlLexer.skipTrivia(sql, SqlLexer.end(sql, next));
      if (wordAt(sql, after, "CHARACTERISTICS")) {
        return SessionFeature.SET_SESSION_CHARACTERISTICS;
      }
      if (wordAt(sql, after, "AUTHORIZATION")) {
        return SessionFeature.SESSION_AUTHORIZATION;
      }
    }
    return SessionFeature.SET;
  }

  /** {@code DECLARE name … CURSOR [WITH HOLD | WITHOUT HOLD] FOR query}: the options end at {@code FOR}. */
  private static boolean declaresHoldCursor(String sql, int from) {
    boolean afterWith = false;
    for (int i = from; i < sql.length(); ) {
      Kind kind = SqlLexer.kind(sql, i);
      int end = SqlLexer.end(sql, i, kind);
      if (kind != Kind.WORD || SqlLexer.isKeyword(sql, i, end, "FOR")) {
        return false;
      }
      if (afterWith && SqlLexer.isKeyword(sql, i, end, "HOLD")) {
        return true;
      }
      afterWith = SqlLexer.isKeyword(sql, i, end, "WITH");
      i = SqlLexer.skipTrivia(sql, end);
    }
    return false;
  }

  /**
   * {@code CREATE [OR REPLACE] [GLOBAL|LOCAL] TEMP|TEMPORARY [UNLOGGED] [RECURSIVE] TABLE|VIEW|SEQUENCE}; a
   * table with {@code ON COMMIT DROP} is gone at commit and so safe.
   */
  private static boolean createsTemporaryObject(String sql, int from) {
    int i = from;
    if (wordAt(sql, i, "OR")) {
      i = nextToken(sql, i);
      i = wordAt(sql, i, "REPLACE") ? nextToken(sql, i) : i;
    }
    i = wordAt(sql, i, "GLOBAL") || wordAt(sql, i, "LOCAL") ? nextToken(sql, i) : i;
    if (!wordAt(sql, i, "TEMP") && !wordAt(sql, i, "TEMPORARY")) {
      return false;
    }
    i = nextToken(sql, i);
    i = wordAt(sql, i, "UNLOGGED") ? nextToken(sql, i) : i;
    i = wordAt(sql, i, "RECURSIVE") ? nextToken(sql, i) : i;
    if (wordAt(sql, i, "TABLE")) {
      return !hasOnCommitDrop(sql, i);
    }
    return wordAt(sql, i, "VIEW") || wordAt(sql, i, "SEQUENCE");
  }

  private static boolean hasOnCommitDrop(String sql, int from) {
    int matched = 0; // how many of ON, COMMIT, DROP the latest words matched
    for (int i = from; i < sql.length(); ) {
      Kind kind = SqlLexer.kind(sql, i);
      int end = SqlLexer.end(sql, i, kind);
      if (kind == Kind.SYMBOL && sql.charAt(i) == ';') {
        return false;
      }
      if (matched == 2 && SqlLexer.isKeyword(sql, i, end, "DROP")) {
        return true;
      }
      if (matched == 1 && SqlLexer.isKeyword(sql, i, end, "COMMIT")) {
        matched = 2;
      } else {
        matched = kind == Kind.WORD && SqlLexer.isKeyword(sql, i, end, "ON") ? 1 : 0;
      }
      i = SqlLexer.skipTrivia(sql, end);
    }
    return false;
  }

  /** {@code SELECT … INTO [GLOBAL|LOCAL] TEMP|TEMPORARY …} creates a temporary table. */
  private static boolean startsTemporaryName(String sql, int from) {
    int i = wordAt(sql, from, "GLOBAL") || wordAt(sql, from, "LOCAL") ? nextToken(sql, from) : from;
    return wordAt(sql, i, "TEMP") || wordAt(sql, i, "TEMPORARY");
  }

  /** The session-level advisory lock functions; the {@code _xact_} ones end with the transaction. */
  private static boolean isSessionAdvisoryLock(String sql, int start, int end) {
    return end - start >= 16 // the shortest name, "pg_advisory_lock", has 16 characters
        && (SqlLexer.isKeyword(sql, start, end, "PG_ADVISORY_LOCK")
            || SqlLexer.isKeyword(sql, start, end, "PG_ADVISORY_LOCK_SHARED")
            || SqlLexer.isKeyword(sql, start, end, "PG_TRY_ADVISORY_LOCK")
            || SqlLexer.isKeyword(sql, start, end, "PG_TRY_ADVISORY_LOCK_SHARED")
            || SqlLexer.isKeyword(sql, start, end, "PG_ADVISORY_UNLOCK")
            || SqlLexer.isKeyword(sql, start, end, "PG_ADVISORY_UNLOCK_SHARED")
            || SqlLexer.isKeyword(sql, start, end, "PG_ADVISORY_UNLOCK_ALL"));
  }

  /** {@code false}, or a string PostgreSQL reads as boolean false, as set_config's {@code is_local}. */
  private static boolean isFalseLiteral(String sql, int start, int end, Kind kind) {
    if (kind == Kind.PARAMETER) {
      return true; // a bound is_local may be false: treated as such
    }
    if (kind == Kind.WORD) {
      return SqlLexer.isKeyword(sql, start, end, "FALSE");
    }
    return kind == Kind.STRING
        && sql.charAt(start) == '\''
        && (SqlLexer.isKeyword(sql, start + 1, end - 1, "FALSE")
            || SqlLexer.isKeyword(sql, start + 1, end - 1, "F")
            || SqlLexer.isKeyword(sql, start + 1, end - 1, "OFF")
            || SqlLexer.isKeyword(sql, start + 1, end - 1, "NO")
            || SqlLexer.isKeyword(sql, start + 1, end - 1, "0"));
  }

  private static boolean wordAt(String sql, int start, String keyword) {
    return start < sql.length()
        && SqlLexer.kind(sql, start) == Kind.WORD
        && SqlLexer.isKeyword(sql, start, SqlLexer.end(sql, start, Kind.WORD), keyword);
  }

  private static boolean isWord(String sql, int start, int end, String keyword) {
    return start >= 0 && SqlLexer.isKeyword(sql, start, end, keyword);
  }

  private static int nextToken(String sql, int start) {
    return start < sql.length() ? SqlLexer.skipTrivia(sql, SqlLexer.end(sql, start)) : start;
  }
}
