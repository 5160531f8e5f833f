package io.github.serverlesspg.logical;

import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session settings a transaction-mode handle keeps itself, because a transaction-mode pooler would hand them to
 * whichever client gets the server connection next: the isolation level, the schema and raw {@code SET}s. They are
 * applied at the start of each transaction the handle runs ({@link #prologue}), with {@code SET TRANSACTION} and
 * {@code set_config(name, value, true)}, so they end with it.
 *
 * <p>Like PostgreSQL's own session settings, a change made inside a transaction is undone when that transaction
 * rolls back, and a change made after a savepoint when the transaction rolls back to it: each open transaction and
 * savepoint keeps a copy of the values as they were when it began (a few entries; savepoints are rare).
 */
final class TransactionSettings {
  /** The frame of the transaction itself, below its savepoints. */
  private static final String TRANSACTION = "";

  private int isolation = -1;
  /**
   * The values the handle starts with ({@code currentSchema}): what {@code RESET} and {@code DEFAULT} go back to, as
   * PostgreSQL goes back to the values of the startup packet. Null when there are none.
   */
  private final Map<String, String> initial;
  /** Setting name (lower case) to value, in the order they were set. */
  private Map<String, String> values;
  /** The values as they were when the open transaction and each of its savepoints began, innermost last. */
  private ArrayDeque<Frame> frames;
  /**
   * {@code SELECT set_config(...)} of {@link #values}, built once per change of the values rather than once per
   * statement; null when it must be built again.
   */
  private String valuesSql;

  private static final class Frame {
    final String savepoint;
    final Map<String, String> values;

    Frame(String savepoint, Map<String, String> values) {
      this.savepoint = savepoint;
      this.values = values;
    }
  }

  TransactionSettings(String initialSearchPath) {
    initial = initialSearchPath == null ? null : Map.of("search_path", initialSearchPath);
    values = copy(initial);
  }

  /** Whether anything must be applied to the handle's transactions. */
  boolean isEmpty() {
    return isolation < 0 && !hasValues();
  }

  /** Whether settings other than the isolation level are kept (they apply to autocommit statements too). */
  boolean hasValues() {
    return values != null && !values.isEmpty();
  }

  /** Whether a setting other than {@code search_path} is kept. */
  boolean hasValuesOtherThanSearchPath() {
    return hasValues() && (values.size() > 1 || !values.containsKey("search_path"));
  }

  boolean has(String name) {
    return values != null && values.containsKey(name);
  }

  /** The value the handle applies for {@code name}, or null for the server's default. */
  String value(String name) {
    return values == null ? null : values.get(name);
  }

  /** The names of the kept settings, for {@code RESET ALL}. */
  Iterable<String> names() {
    return values == null ? java.util.List.of() : java.util.List.copyOf(values.keySet());
  }

  int isolation() {
    return isolation;
  }

  /** Not undone by a rollback: pgjdbc sets it with a session-level statement outside any transaction. */
  void isolation(int level) {
    isolation = level;
  }

  /** {@code Connection.setSchema}: the value pgjdbc's {@code SET search_path TO 'schema'} gives, or the default. */
  void schema(String schema, boolean inTransaction) {
    if (schema == null) {
      remove("search_path", inTransaction);
    } else {
      put("search_path", searchPathOf(schema), inTransaction);
    }
  }

  /**
   * What {@code SHOW search_path} answers after {@code SET search_path TO 'schema'}: the name as is when PostgreSQL
   * would not quote it, else as a quoted identifier.
   */
  static String searchPathOf(String schema) {
    boolean plain = !schema.isEmpty() && (Character.isLowerCase(schema.charAt(0)) || schema.charAt(0) == '_');
    for (int i = 0; plain && i < schema.length(); i++) {
      char c = schema.charAt(i);
      plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }
    return plain ? schema : '"' + schema.replace("\"", "\"\"") + '"';
  }

  void put(String name, String value, boolean inTransaction) {
    remember(inTransaction);
    valuesSql = null;
    if (values == null) {
      values = new LinkedHashMap<>(4);
    }
    values.put(name, value);
  }

  /** {@code RESET name}: back to the handle's initial value, else to the server's default. */
  void remove(String name, boolean inTransaction) {
    remember(inTransaction);
    if (initial != null && initial.containsKey(name)) {
      put(name, initial.get(name), inTransaction);
    } else if (values != null) {
      values.remove(name);
      valuesSql = null;
    }
  }

  /** {@code RESET ALL}: back to the handle's initial values. */
  void clear(boolean inTransaction) {
    remember(inTransaction);
    values = copy(initial);
    valuesSql = null;
  }

  /** Whether {@code RESET name} gives {@code name} a value of the handle's own rather than the server's default. */
  boolean hasInitial(String name) {
    return initial != null && (name == null ? !initial.isEmpty() : initial.containsKey(name));
  }

  /** A savepoint was set in the open transaction. */
  void savepoint(String name) {
    remember(true);
    frames.addLast(new Frame(name, copy(values)));
  }

  /** {@code ROLLBACK TO SAVEPOINT name}: the values as they were at the savepoint, which stays. */
  void rolledBackTo(String name) {
    Frame frame = find(name);
    if (frame != null) {
      while (frames.peekLast() != frame) {
        frames.removeLast();
      }
      values = copy(frame.values);
      valuesSql = null;
    }
  }

  /** {@code RELEASE SAVEPOINT name}: the savepoint and the later ones go, their changes stay. */
  void released(String name) {
    Frame frame = find(name);
    if (frame != null) {
      while (frames.removeLast() != frame) {
        // drops the later savepoints
      }
    }
  }

  /** The current transaction committed: its changes stay. */
  void committed() {
    frames = null;
  }

  /** The current transaction rolled back: its changes go, as a session {@code SET}'s would. */
  void rolledBack() {
    if (frames != null && !frames.isEmpty()) {
      Map<String, String> before = frames.peekFirst().values;
      values = before == null || before.isEmpty() ? null : before;
      valuesSql = null;
    }
    frames = null;
  }

  private Frame find(String name) {
    if (frames == null || name == null) {
      return null;
    }
    for (Iterator<Frame> it = frames.descendingIterator(); it.hasNext(); ) {
      Frame frame = it.next();
      if (name.equals(frame.savepoint)) {
        return frame;
      }
    }
    return null;
  }

  private void remember(boolean inTransaction) {
    if (inTransaction && (frames == null || frames.isEmpty())) {
      frames = new ArrayDeque<>(4);
      frames.addLast(new Frame(TRANSACTION, copy(values)));
    }
  }

  private static Map<String, String> copy(Map<String, String> values) {
    return values == null ? null : new LinkedHashMap<>(values);
  }

  /**
   * The statement that applies the settings to a transaction that has not run anything yet, or an empty string.
   *
   * @param withIsolation whether to set the isolation level (not for a single autocommit statement, which runs at the
   *     server's default as documented, nor after a {@code BEGIN} that names its own)
   */
  String prologue(boolean withIsolation) {
    StringBuilder prologue = new StringBuilder(64);
    if (withIsolation && isolation >= 0) {
      prologue.append("SET TRANSACTION ISOLATION LEVEL ").append(isolationName(isolation));
    }
    appendValues(prologue);
    return prologue.toString();
  }

  /** {@code BEGIN} followed by the settings (never the isolation level: see {@link #prologue}). */
  String wrapperPrologue() {
    StringBuilder prologue = new StringBuilder(64).append("BEGIN");
    appendValues(prologue);
    return prologue.toString();
  }

  /**
   * {@code statement} preceded by {@code prologue} ({@link #valuesSql()}), to send as one execution: one Sync, so
   * PostgreSQL runs both in one implicit transaction, which the Sync commits (or rolls back) and so ends the settings
   * with it. The settings are one {@code SELECT}, whose single result the caller skips. Only for an autocommit
   * statement with no transaction open (never with the isolation level: see {@link #prologue}).
   */
  static String fused(String prologue, String statement) {
    // Nothing between the semicolon and the statement: pgjdbc sends the statement's text exactly as the application
    // wrote it, so an error's position (ServerErrorMessage.getPosition) counts from its first character, as in pgjdbc.
    return prologue + ";" + statement;
  }

  private void appendValues(StringBuilder prologue) {
    if (!hasValues()) {
      return;
    }
    if (prologue.length() > 0) {
      prologue.append("; ");
    }
    prologue.append(valuesSql());
  }

  /** {@code SELECT set_config(name, value, true), ...} of the values; only when {@link #hasValues()}. */
  String valuesSql() {
    String sql = valuesSql;
    if (sql == null) {
      StringBuilder select = new StringBuilder(64).append("SELECT ");
      boolean first = true;
      for (Map.Entry<String, String> setting : values.entrySet()) {
        if (!first) {
          select.append(", ");
        }
        first = false;
        select.append("set_config('").append(setting.getKey().replace("'", "''")).append("', '")
            .append(setting.getValue().replace("'", "''")).append("', true)");
      }
      sql = select.toString();
      valuesSql = sql;
    }
    return sql;
  }

  static String isolationName(int level) {
    switch (level) {
      case Connection.TRANSACTION_READ_UNCOMMITTED:
        return "READ UNCOMMITTED";
      case Connection.TRANSACTION_REPEATABLE_READ:
        return "REPEATABLE READ";
      case Connection.TRANSACTION_SERIALIZABLE:
        return "SERIALIZABLE";
      default:
        return "READ COMMITTED";
    }
  }
}
