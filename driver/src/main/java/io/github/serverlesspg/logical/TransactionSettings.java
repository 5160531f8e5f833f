package io.github.serverlesspg.logical;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session settings a transaction-mode handle keeps itself, because a transaction-mode pooler would hand them to
 * whichever client gets the server connection next: the isolation level, the schema and raw {@code SET}s. They are
 * applied at the start of each transaction the handle runs ({@link #prologue}), with {@code SET TRANSACTION} and
 * {@code set_config(name, value, true)}, so they end with it. Like PostgreSQL's own session settings, a change made
 * inside a transaction is undone when that transaction rolls back.
 */
final class TransactionSettings {
  private int isolation = -1;
  /** Setting name (lower case) to value, in the order they were set. */
  private Map<String, String> values;
  /** The values as they were before the current transaction changed them, or null if it did not. */
  private Map<String, String> beforeTransaction;

  TransactionSettings(String initialSearchPath) {
    if (initialSearchPath != null) {
      values = new LinkedHashMap<>(4);
      values.put("search_path", initialSearchPath);
    }
  }

  /** Whether anything must be applied to the handle's transactions. */
  boolean isEmpty() {
    return isolation < 0 && !hasValues();
  }

  /** Whether settings other than the isolation level are kept (they apply to autocommit statements too). */
  boolean hasValues() {
    return values != null && !values.isEmpty();
  }

  int isolation() {
    return isolation;
  }

  void isolation(int level) {
    isolation = level;
  }

  /** {@code Connection.setSchema}: the schema as a quoted identifier, or back to the server's default for null. */
  void schema(String schema) {
    if (schema == null) {
      remove("search_path", false);
    } else {
      put("search_path", '"' + schema.replace("\"", "\"\"") + '"', false);
    }
  }

  void put(String name, String value, boolean inTransaction) {
    remember(inTransaction);
    if (values == null) {
      values = new LinkedHashMap<>(4);
    }
    values.put(name, value);
  }

  void remove(String name, boolean inTransaction) {
    remember(inTransaction);
    if (values != null) {
      values.remove(name);
    }
  }

  void clear(boolean inTransaction) {
    remember(inTransaction);
    values = null;
  }

  /** The current transaction committed: its changes stay. */
  void committed() {
    beforeTransaction = null;
  }

  /** The current transaction rolled back: its changes go, as a session {@code SET} would. */
  void rolledBack() {
    if (beforeTransaction != null) {
      values = beforeTransaction.isEmpty() ? null : beforeTransaction;
      beforeTransaction = null;
    }
  }

  private void remember(boolean inTransaction) {
    if (inTransaction && beforeTransaction == null) {
      beforeTransaction = values == null ? new LinkedHashMap<>() : new LinkedHashMap<>(values);
    }
  }

  /**
   * The statement that applies the settings to a transaction that has not run anything yet, or an empty string.
   *
   * @param withIsolation whether to set the isolation level (not for a single autocommit statement, which runs at the
   *     server's default as documented)
   */
  String prologue(boolean withIsolation) {
    StringBuilder prologue = new StringBuilder(64);
    if (withIsolation && isolation >= 0) {
      prologue.append("SET TRANSACTION ISOLATION LEVEL ").append(isolationName(isolation));
    }
    if (hasValues()) {
      if (prologue.length() > 0) {
        prologue.append("; ");
      }
      prologue.append("SELECT ");
      boolean first = true;
      for (Map.Entry<String, String> setting : values.entrySet()) {
        if (!first) {
          prologue.append(", ");
        }
        first = false;
        prologue.append("set_config('").append(setting.getKey().replace("'", "''")).append("', '")
            .append(setting.getValue().replace("'", "''")).append("', true)");
      }
    }
    return prologue.toString();
  }

  private static String isolationName(int level) {
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
