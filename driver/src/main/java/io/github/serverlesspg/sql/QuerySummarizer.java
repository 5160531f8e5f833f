package io.github.serverlesspg.sql;

import io.github.serverlesspg.sql.SqlLexer.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Extracts the operations and targets of a query, in the order written, for {@code db.query.summary}
 * ("{operation1} {target1} {operation2} {target2} {target3} …", OpenTelemetry database spans, "Generating a
 * summary of the query").
 *
 * <p>Operations are the statement's command ({@code CREATE TABLE}, {@code BEGIN}, …) and every
 * {@code SELECT}, {@code INSERT}, {@code UPDATE}, {@code DELETE} and {@code MERGE}, subqueries included.
 * Targets are the tables named after {@code FROM}, {@code JOIN}, {@code USING}, {@code INTO},
 * {@code UPDATE}, the object of DDL, and the procedure of {@code CALL}, as written (schema and quotes kept,
 * no case normalization, as the conventions ask); CTE names and aliases are not targets. Only keywords and
 * identifiers ever reach the result, never literals.
 */
final class QuerySummarizer {

  /** The conventions: truncate to 255 characters, never inside an operation or target. */
  private static final int MAX_SUMMARY_LENGTH = 255;

  /** PostgreSQL's SQL commands: only these become an operation, which keeps the summary low-cardinality. */
  private static final Set<String> COMMANDS = Set.of(
      "ABORT", "ALTER", "ANALYZE", "BEGIN", "CALL", "CHECKPOINT", "CLOSE", "CLUSTER", "COMMENT", "COMMIT",
      "COPY", "CREATE", "DEALLOCATE", "DECLARE", "DELETE", "DISCARD", "DO", "DROP", "END", "EXECUTE",
      "EXPLAIN", "FETCH", "GRANT", "IMPORT", "INSERT", "LISTEN", "LOAD", "LOCK", "MERGE", "MOVE", "NOTIFY",
      "PREPARE", "REASSIGN", "REFRESH", "REINDEX", "RELEASE", "RESET", "REVOKE", "ROLLBACK", "SAVEPOINT",
      "SECURITY", "SELECT", "SET", "SHOW", "START", "TABLE", "TRUNCATE", "UNLISTEN", "UPDATE", "VACUUM",
      "VALUES");

  /** Words that may follow a table reference without being its alias. */
  private static final Set<String> CLAUSE_WORDS = Set.of(
      "WHERE", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "ON", "USING", "GROUP", "ORDER",
      "LIMIT", "OFFSET", "HAVING", "WINDOW", "UNION", "INTERSECT", "EXCEPT", "FOR", "RETURNING", "SET",
      "TABLESAMPLE", "FETCH", "WHEN", "VALUES", "SELECT", "DEFAULT", "OVERRIDING", "DO", "INTO", "FROM",
      "CASCADE", "RESTRICT", "RESTART", "CONTINUE", "IN", "WITH", "TO", "STDIN", "STDOUT");

  /** Modifiers between {@code CREATE}/{@code ALTER}/{@code DROP} and the object type. */
  private static final Set<String> DDL_MODIFIERS = Set.of(
      "OR", "REPLACE", "TEMP", "TEMPORARY", "GLOBAL", "LOCAL", "UNLOGGED", "UNIQUE", "RECURSIVE");

  /** Object types whose name is a collection ({@code db.collection.name}: "table, container"). */
  private static final Set<String> COLLECTION_TYPES = Set.of("TABLE", "VIEW", "SEQUENCE", "INDEX");

  private final String sql;
  private final int count;
  private final int[] starts;
  private final int[] ends;
  private final Kind[] kinds;
  /** For a {@code (} token, the index of its {@code )}, or {@code count} when unclosed. */
  private final int[] closing;
  private final Set<String> cteNames = new HashSet<>();
  private final List<String> operations = new ArrayList<>();
  private final List<String> targets = new ArrayList<>();
  private final StringBuilder summary = new StringBuilder();
  private boolean summaryFull;

  private QuerySummarizer(String sql) {
    this.sql = sql;
    int capacity = 0;
    for (int i = SqlLexer.skipTrivia(sql, 0); i < sql.length(); i = SqlLexer.skipTrivia(sql, SqlLexer.end(sql, i))) {
      capacity++;
    }
    count = capacity;
    starts = new int[count];
    ends = new int[count];
    kinds = new Kind[count];
    int t = 0;
    for (int i = SqlLexer.skipTrivia(sql, 0); t < count; i = SqlLexer.skipTrivia(sql, ends[t++])) {
      starts[t] = i;
      kinds[t] = SqlLexer.kind(sql, i);
      ends[t] = SqlLexer.end(sql, i, kinds[t]);
    }
    closing = matchParentheses();
  }

  /** Summarizes {@code sql}; see the accessors for the parts. */
  static QuerySummarizer summarize(String sql) {
    QuerySummarizer summarizer = new QuerySummarizer(sql);
    summarizer.collectCteNames();
    summarizer.walk();
    return summarizer;
  }

  /** {@code db.query.summary}, or {@code null} when the text names no operation and no target. */
  String summary() {
    return summary.length() == 0 ? null : summary.toString();
  }

  /** The single operation (ignoring case) of the text, or {@code null} when there are none or several. */
  String singleOperation() {
    return single(operations, true);
  }

  /** The single target of the text, or {@code null} when there are none or several. */
  String singleTarget() {
    return single(targets, false);
  }

  private static String single(List<String> values, boolean ignoreCase) {
    if (values.isEmpty()) {
      return null;
    }
    String first = values.get(0);
    for (String value : values) {
      if (ignoreCase ? !value.equalsIgnoreCase(first) : !value.equals(first)) {
        return null;
      }
    }
    return first;
  }

  private void walk() {
    BitSet queryAtDepth = new BitSet(); // whether a SELECT/INSERT/UPDATE/DELETE/MERGE runs at that depth
    int depth = 0;
    boolean atStatementStart = true;
    boolean opaque = false; // GRANT/REVOKE name privileges such as SELECT, not operations
    for (int t = 0; t < count; t++) {
      if (isSymbol(t, ';')) {
        atStatementStart = true;
        opaque = false;
        depth = 0;
        queryAtDepth.clear();
      } else if (isSymbol(t, '(')) {
        depth++;
        queryAtDepth.clear(depth);
      } else if (isSymbol(t, ')')) {
        queryAtDepth.clear(depth);
        depth = Math.max(0, depth - 1);
        atStatementStart = false;
      } else if (opaque || kinds[t] != Kind.WORD) {
        atStatementStart = false;
      } else if (atStatementStart) {
        atStatementStart = false;
        String command = upper(t);
        opaque = command.equals("GRANT") || command.equals("REVOKE");
        if (isDataOperation(command)) {
          t = dataOperation(t, command, depth, queryAtDepth);
        } else if (COMMANDS.contains(command)) {
          t = command(t, command);
        }
      } else {
        String word = upper(t);
        if (isDataOperation(word) && (word.equals("SELECT") ? !isSymbol(t - 1, ',') : startsDataOperation(t))) {
          t = dataOperation(t, word, depth, queryAtDepth);
        } else if (queryAtDepth.get(depth)) {
          t = clause(t, word);
        }
      }
    }
  }

  private static boolean isDataOperation(String word) {
    return word.equals("SELECT") || word.equals("INSERT") || word.equals("UPDATE") || word.equals("DELETE")
        || word.equals("MERGE");
  }

  /**
   * INSERT, UPDATE, DELETE and MERGE are not reserved words: they start an operation only at the head of a
   * parenthesized statement, after a CTE list or after EXPLAIN/PREPARE; elsewhere they are {@code FOR
   * UPDATE}, {@code ON DELETE}, {@code DO UPDATE}, trigger events and the like.
   */
  private boolean startsDataOperation(int t) {
    return isSymbol(t - 1, '(') || isSymbol(t - 1, ')')
        || isWord(t - 1, "AS") || isWord(t - 1, "EXPLAIN") || isWord(t - 1, "ANALYZE") || isWord(t - 1, "VERBOSE");
  }

  private int dataOperation(int t, String word, int depth, BitSet queryAtDepth) {
    addOperation(text(t));
    queryAtDepth.set(depth);
    return word.equals("UPDATE") ? tableReference(skipWords(t + 1, "ONLY"), true) : t;
  }

  /** The table-naming clauses of a query; returns the last token consumed. */
  private int clause(int t, String word) {
    switch (word) {
      case "FROM":
        // "IS [NOT] DISTINCT FROM" compares values.
        return isWord(t - 1, "DISTINCT") ? t : tableList(t + 1, false);
      case "USING":
        return tableList(t + 1, false);
      case "JOIN":
        return tableReference(skipWords(t + 1, "LATERAL", "ONLY"), false);
      case "INTO":
        return tableReference(skipWords(t + 1, "TEMP", "TEMPORARY", "UNLOGGED", "TABLE", "GLOBAL", "LOCAL"), true);
      default:
        return t;
    }
  }

  /** A statement other than a query; returns the last token consumed. */
  private int command(int t, String command) {
    switch (command) {
      case "CREATE":
      case "ALTER":
      case "DROP":
        return ddl(t);
      case "TRUNCATE":
      case "LOCK":
        addOperation(text(t));
        return tableList(skipWords(t + 1, "TABLE"), true);
      case "COPY":
      case "CALL":
        addOperation(text(t));
        return name(t + 1, true);
      default:
        addOperation(text(t));
        return t;
    }
  }

  /** {@code CREATE|ALTER|DROP [modifiers] type [IF [NOT] EXISTS] name}: the operation keeps the type. */
  private int ddl(int t) {
    int typeAt = t + 1;
    while (typeAt < count && kinds[typeAt] == Kind.WORD && DDL_MODIFIERS.contains(upper(typeAt))) {
      typeAt++;
    }
    if (typeAt >= count || kinds[typeAt] != Kind.WORD) {
      addOperation(text(t));
      return t;
    }
    int last = isWord(typeAt, "MATERIALIZED") || isWord(typeAt, "FOREIGN") ? typeAt + 1 : typeAt;
    if (last >= count || kinds[last] != Kind.WORD) {
      last = typeAt;
    }
    StringBuilder operation = new StringBuilder(text(t));
    for (int i = typeAt; i <= last; i++) {
      operation.append(' ').append(text(i));
    }
    addOperation(operation.toString());
    if (!COLLECTION_TYPES.contains(upper(last))) {
      return last;
    }
    int next = skipWords(last + 1, "IF", "NOT", "EXISTS", "CONCURRENTLY", "ONLY");
    if (isWord(last, "INDEX")) {
      // CREATE INDEX [name] ON table: the index serves that table.
      while (next < count && kinds[next] == Kind.WORD && !isWord(next, "ON")) {
        next++;
      }
      return isWord(next, "ON") ? tableReference(skipWords(next + 1, "ONLY"), true) : next - 1;
    }
    return tableList(next, true);
  }

  /**
   * {@code [ONLY|LATERAL] name [[AS] alias], …}; a subquery ends the list. {@code parenthesisFollows} tells
   * whether a {@code (} after a name opens a column list (DDL, INSERT) rather than a function call's arguments
   * (FROM, JOIN, USING).
   */
  private int tableList(int t, boolean parenthesisFollows) {
    int at = t;
    while (true) {
      int last = tableReference(skipWords(at, "ONLY", "LATERAL"), parenthesisFollows);
      if (!isSymbol(last + 1, ',')) {
        return last;
      }
      at = last + 2;
    }
  }

  /** One table name and its alias (see {@link #tableList}); returns the last token consumed, {@code t - 1} if none. */
  private int tableReference(int t, boolean parenthesisFollows) {
    int last = name(t, parenthesisFollows);
    if (last < t) {
      return t - 1;
    }
    int next = isWord(last + 1, "AS") ? last + 2 : last + 1;
    boolean alias = next < count
        && (kinds[next] == Kind.QUOTED_IDENTIFIER || (kinds[next] == Kind.WORD && !CLAUSE_WORDS.contains(upper(next))));
    return alias ? next : last;
  }

  /**
   * A possibly qualified name at {@code t}, recorded as a target unless it is a CTE or (when
   * {@code parenthesisFollows} is false) a function call; returns its last token, or {@code t - 1} if there is
   * none.
   */
  private int name(int t, boolean parenthesisFollows) {
    if (!isIdentifier(t) || (kinds[t] == Kind.WORD && CLAUSE_WORDS.contains(upper(t)))) {
      return t - 1;
    }
    int last = t;
    while (isSymbol(last + 1, '.') && isIdentifier(last + 2)) {
      last += 2;
    }
    if (!parenthesisFollows && isSymbol(last + 1, '(')) {
      return last; // a set-returning function such as generate_series(…), not a collection
    }
    if (last != t || !cteNames.contains(cteKey(t))) {
      StringBuilder target = new StringBuilder(text(t));
      for (int part = t + 2; part <= last; part += 2) {
        target.append('.').append(text(part)); // drops any space or comment around the dots
      }
      addTarget(target.toString());
    }
    return last;
  }

  /**
   * {@code WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (…), …}: the names are query-local, not
   * collections.
   */
  private void collectCteNames() {
    for (int t = 0; t < count; t++) {
      boolean listPosition = isWord(t - 1, "WITH") || isWord(t - 1, "RECURSIVE") || isSymbol(t - 1, ',');
      if (!listPosition || !isIdentifier(t)) {
        continue;
      }
      int as = isSymbol(t + 1, '(') ? closing[t + 1] + 1 : t + 1;
      int body = skipWords(as + 1, "NOT", "MATERIALIZED");
      if (isWord(as, "AS") && isSymbol(body, '(')) {
        cteNames.add(cteKey(t));
      }
    }
  }

  private int[] matchParentheses() {
    int[] match = new int[count];
    ArrayDeque<Integer> open = new ArrayDeque<>();
    for (int t = 0; t < count; t++) {
      if (isSymbol(t, '(')) {
        match[t] = count;
        open.push(t);
      } else if (isSymbol(t, ')') && !open.isEmpty()) {
        match[open.pop()] = t;
      }
    }
    return match;
  }

  private void addOperation(String operation) {
    operations.add(operation);
    appendToSummary(operation);
  }

  private void addTarget(String target) {
    targets.add(target);
    appendToSummary(target);
  }

  private void appendToSummary(String part) {
    int length = summary.length() == 0 ? part.length() : summary.length() + 1 + part.length();
    if (summaryFull || length > MAX_SUMMARY_LENGTH) {
      summaryFull = true;
      return;
    }
    if (summary.length() > 0) {
      summary.append(' ');
    }
    summary.append(part);
  }

  /** The first token at or after {@code t} that is none of {@code words}. */
  private int skipWords(int t, String... words) {
    int at = t;
    while (isAnyWord(at, words)) {
      at++;
    }
    return at;
  }

  private boolean isAnyWord(int t, String... words) {
    for (String word : words) {
      if (isWord(t, word)) {
        return true;
      }
    }
    return false;
  }

  /** Unquoted names fold to lower case in PostgreSQL; quoted ones are exact. */
  private String cteKey(int t) {
    return kinds[t] == Kind.WORD ? text(t).toLowerCase(Locale.ROOT) : text(t);
  }

  private boolean isIdentifier(int t) {
    return t >= 0 && t < count && (kinds[t] == Kind.WORD || kinds[t] == Kind.QUOTED_IDENTIFIER);
  }

  private boolean isWord(int t, String keyword) {
    return t >= 0 && t < count && kinds[t] == Kind.WORD && SqlLexer.isKeyword(sql, starts[t], ends[t], keyword);
  }

  private boolean isSymbol(int t, char symbol) {
    return t >= 0 && t < count && kinds[t] == Kind.SYMBOL && sql.charAt(starts[t]) == symbol;
  }

  private String text(int t) {
    return sql.substring(starts[t], ends[t]);
  }

  private String upper(int t) {
    return text(t).toUpperCase(Locale.ROOT);
  }
}
