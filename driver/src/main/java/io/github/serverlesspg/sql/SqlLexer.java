package io.github.serverlesspg.sql;

/**
 * PostgreSQL's lexical rules, as static functions over positions in the text, so that callers on the hot
 * path walk tokens without allocating anything.
 *
 * <p>A caller loops {@code for (int i = skipTrivia(sql, 0); i < sql.length(); i = skipTrivia(sql, end))},
 * asking {@link #kind} and {@link #end} at each token start. Whitespace and comments are trivia and never
 * tokens. Every function accepts any text (unterminated strings, comments and quotes run to the end) and
 * always advances, so no input makes a caller throw or loop forever.
 */
final class SqlLexer {

  /** What a token is; literals are {@link #STRING} and {@link #NUMBER}. */
  enum Kind {
    /** A keyword or unquoted identifier. */
    WORD,
    /** {@code "…"} or {@code U&"…"}. */
    QUOTED_IDENTIFIER,
    /** {@code '…'}, {@code E'…'}, {@code B'…'}, {@code X'…'}, {@code N'…'}, {@code U&'…'}, {@code $tag$…$tag$}. */
    STRING,
    /** Decimal, hexadecimal, octal or binary numbers, with fraction and exponent. */
    NUMBER,
    /** A positional parameter {@code $1} or a JDBC placeholder {@code ?}. */
    PARAMETER,
    /** Any other single character, or the JDBC-escaped operator {@code ??}. */
    SYMBOL
  }

  private SqlLexer() {}

  /** The start of the first token at or after {@code from}, or {@code sql.length()} if none is left. */
  static int skipTrivia(String sql, int from) {
    int n = sql.length();
    int i = Math.max(from, 0);
    while (i < n) {
      char c = sql.charAt(i);
      if (isSpace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        i += 2;
        while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = blockCommentEnd(sql, i + 2);
      } else {
        return i;
      }
    }
    return n;
  }

  /** The kind of the token starting at {@code start}, which must be a token start below the length. */
  static Kind kind(String sql, int start) {
    int n = sql.length();
    char c = sql.charAt(start);
    char next = start + 1 < n ? sql.charAt(start + 1) : 0;
    switch (c) {
      case '\'':
        return Kind.STRING;
      case '"':
        return Kind.QUOTED_IDENTIFIER;
      case '?':
        return next == '?' ? Kind.SYMBOL : Kind.PARAMETER;
      case '$':
        if (isDigit(next)) {
          return Kind.PARAMETER;
        }
        return dollarTagEnd(sql, start) > 0 ? Kind.STRING : Kind.SYMBOL;
      case '.':
        return isDigit(next) ? Kind.NUMBER : Kind.SYMBOL;
      case 'e': case 'E': case 'b': case 'B': case 'x': case 'X': case 'n': case 'N':
        return next == '\'' ? Kind.STRING : Kind.WORD;
      case 'u': case 'U':
        if (next == '&' && start + 2 < n) {
          char third = sql.charAt(start + 2);
          if (third == '\'') {
            return Kind.STRING;
          }
          if (third == '"') {
            return Kind.QUOTED_IDENTIFIER;
          }
        }
        return Kind.WORD;
      default:
        if (isDigit(c)) {
          return Kind.NUMBER;
        }
        return isIdentifierStart(c) ? Kind.WORD : Kind.SYMBOL;
    }
  }

  /** The end (exclusive) of the token starting at {@code start}; always greater than {@code start}. */
  static int end(String sql, int start) {
    return end(sql, start, kind(sql, start));
  }

  /** {@link #end(String, int)} when the caller already knows the token's kind. */
  static int end(String sql, int start, Kind kind) {
    int n = sql.length();
    switch (kind) {
      case WORD:
        return identifierEnd(sql, start + 1);
      case QUOTED_IDENTIFIER:
        return quotedEnd(sql, sql.indexOf('"', start) + 1, '"', false);
      case STRING:
        return stringEnd(sql, start);
      case NUMBER:
        return numberEnd(sql, start);
      case PARAMETER:
        if (sql.charAt(start) == '?') {
          return start + 1;
        }
        int i = start + 1;
        while (i < n && isDigit(sql.charAt(i))) {
          i++;
        }
        return i;
      default:
        return sql.charAt(start) == '?' ? start + 2 : start + 1;
    }
  }

  /**
   * Whether {@code sql[start, end)} is the word {@code keyword}, ignoring case. {@code keyword} must be
   * upper-case ASCII; {@link String#regionMatches(boolean, int, String, int, int)} neither allocates nor
   * depends on the default locale (unlike {@code toLowerCase()}).
   */
  static boolean isKeyword(String sql, int start, int end, String keyword) {
    return end - start == keyword.length() && sql.regionMatches(true, start, keyword, 0, keyword.length());
  }

  /** Whether the token at {@code start} (if any) is the single character {@code symbol}. */
  static boolean isSymbol(String sql, int start, char symbol) {
    return start < sql.length() && sql.charAt(start) == symbol && kind(sql, start) == Kind.SYMBOL;
  }

  // PostgreSQL's scanner: space [ \t\n\r\f\v]; every non-ASCII character may be part of an identifier.
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c) || c == '$';
  }

  private static int identifierEnd(String sql, int from) {
    int i = from;
    while (i < sql.length() && isIdentifierPart(sql.charAt(i))) {
      i++;
    }
    return i;
  }

  /** PostgreSQL block comments nest, unlike the SQL standard's. */
  private static int blockCommentEnd(String sql, int from) {
    int n = sql.length();
    int depth = 1;
    int i = from;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '*' && i + 1 < n && sql.charAt(i + 1) == '/') {
        i += 2;
        if (--depth == 0) {
          return i;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i += 2;
        depth++;
      } else {
        i++;
      }
    }
    return n;
  }

  private static int stringEnd(String sql, int start) {
    char c = sql.charAt(start);
    if (c == '$') {
      return dollarQuotedEnd(sql, start);
    }
    int quote = sql.indexOf('\'', start);
    // Only E'…' honours backslash escapes: standard_conforming_strings is on since PostgreSQL 9.1.
    return quotedEnd(sql, quote + 1, '\'', c == 'e' || c == 'E');
  }

  /** The end of a quoted run whose body starts at {@code from}; a doubled quote is an escaped one. */
  private static int quotedEnd(String sql, int from, char quote, boolean backslashEscapes) {
    int n = sql.length();
    int i = from;
    while (i < n) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  /** The end of an opening {@code $tag$} or {@code $$} at {@code start}, or -1 if there is none. */
  private static int dollarTagEnd(String sql, int start) {
    int n = sql.length();
    int i = start + 1;
    if (i < n && sql.charAt(i) != '$') {
      if (!isIdentifierStart(sql.charAt(i))) {
        return -1;
      }
      while (i < n && isIdentifierPart(sql.charAt(i)) && sql.charAt(i) != '$') {
        i++;
      }
    }
    return i < n && sql.charAt(i) == '$' ? i + 1 : -1;
  }

  /**
   * Finds the closing delimiter by testing each later {@code $}. The tag holds no {@code $}, so a failed
   * comparison stops at the next {@code $} at the latest: the search stays linear.
   */
  private static int dollarQuotedEnd(String sql, int start) {
    int tagEnd = dollarTagEnd(sql, start);
    int tagLength = tagEnd - start;
    int i = sql.indexOf('$', tagEnd);
    while (i >= 0) {
      if (sql.regionMatches(i, sql, start, tagLength)) {
        return i + tagLength;
      }
      i = sql.indexOf('$', i + 1);
    }
    return sql.length();
  }

  /**
   * Consumes digits, {@code _} separators, {@code 0x}/{@code 0o}/{@code 0b} prefixes, fraction and exponent,
   * and any letters glued on (PostgreSQL 16 rejects those as trailing junk); over-reading a literal only makes
   * sanitization more thorough.
   */
  private static int numberEnd(String sql, int start) {
    int n = sql.length();
    int i = digitsEnd(sql, start);
    if (i < n && sql.charAt(i) == '.' && !(i + 1 < n && sql.charAt(i + 1) == '.')) {
      i = digitsEnd(sql, i + 1);
    }
    if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int exponent = i + 1;
      if (exponent < n && (sql.charAt(exponent) == '+' || sql.charAt(exponent) == '-')) {
        exponent++;
      }
      if (exponent < n && isDigit(sql.charAt(exponent))) {
        i = exponent;
      }
    }
    return identifierEnd(sql, i);
  }

  private static int digitsEnd(String sql, int from) {
    int i = from;
    while (i < sql.length() && (isDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
      i++;
    }
    return i;
  }
}
