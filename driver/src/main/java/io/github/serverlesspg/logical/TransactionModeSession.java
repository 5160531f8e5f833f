package io.github.serverlesspg.logical;

import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.routing.SessionStatePolicy;
import io.github.serverlesspg.sql.SessionFeature;
import io.github.serverlesspg.sql.SettingChange;
import io.github.serverlesspg.sql.StatementKind;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.jdbc.PreferQueryMode;
import org.postgresql.jdbc.PSQLSavepoint;

/**
 * A transaction-mode handle's session, emulated: the settings pgjdbc would keep in the server session (isolation,
 * schema, raw {@code SET}s) are kept here and applied to every server transaction the handle's statements run in, so
 * they work as in a session and never stay on a pooled server connection.
 *
 * <p>Transaction boundaries come from the server, not from the order of JDBC calls: before a statement the server's
 * transaction state (pgjdbc's {@link TransactionState}, updated by every ReadyForQuery) says whether the statement
 * starts a transaction, and transaction control sent as SQL ({@code BEGIN}, {@code COMMIT}, savepoints...) is
 * recognized lexically ({@link StatementKind}) and never wrapped. Then:
 *
 * <ul>
 *   <li>autocommit, no transaction open, settings to apply, one statement that is not procedure code (which may commit
 *       midway, {@link StatementTraits#fusable}) and a caller that can send it with a prologue ({@code fusable}):
 *       {@code SELECT set_config(..., true)...;statement} in one execution, so one round trip.
 *       pgjdbc sends both with one Sync, and PostgreSQL runs everything up to a Sync in one implicit transaction that
 *       the Sync commits, or rolls back on an error: the settings apply to the statement and end with it. The caller
 *       skips the prologue's one result ({@link #fusedPrologue()});
 *   <li>otherwise, autocommit, no transaction open, settings to apply: the statement runs in a transaction of its
 *       own, {@code BEGIN; SELECT set_config(..., true)...; statement; COMMIT}, sent without touching pgjdbc's
 *       autocommit (so pgjdbc never reads through a cursor that the {@code COMMIT} would close);
 *   <li>autocommit off, no transaction open: the settings go first, in the transaction pgjdbc begins for them: in front
 *       of the statement in the same execution (after pgjdbc's {@code BEGIN}) under the same conditions as above and
 *       without an isolation level to set, else in an execution of their own;
 *   <li>a transaction the application began ({@code BEGIN} as SQL): the settings right after it;
 *   <li>statements PostgreSQL refuses inside a transaction block run unwrapped when the settings cannot change what
 *       they do, and are refused with 0A000 otherwise.
 * </ul>
 *
 * <p>The only state kept between the two halves of one statement ({@link #beforeStatement}, {@link #afterStatement})
 * is reset at the start of every statement and at its end, so no failure of any kind can make a later statement send
 * anything but its own SQL. Not thread-safe, like the connection.
 */
final class TransactionModeSession implements TransactionEmulation {
  private static final String CANNOT_CHANGE_ISOLATION =
      "Cannot change transaction isolation level in the middle of a transaction.";

  private final Connection delegate;
  /** pgjdbc's view of the server's transaction state; null only for a foreign delegate (benchmark stubs). */
  private final BaseConnection server;
  private final SessionStatePolicy policy;
  private final TransactionSettings settings;
  /**
   * Whether pgjdbc splits a statement's text at its semicolons and sends each statement with its own Parse, all before
   * one Sync (preferQueryMode extended, the default, or extendedCacheEverything): then the settings can go in front of
   * the statement, and the statement's errors still count positions from its own first character. In the simple modes
   * pgjdbc sends the whole text as one Query, whose error positions would count from the settings' first character.
   */
  private final boolean splitsStatements;
  private boolean autoCommit = true;
  /** Whether the settings were applied to the server transaction that is open now. */
  private boolean applied;

  // The statement being executed, between beforeStatement and afterStatement.
  private SettingChange change;
  private boolean wrapped;
  private String fusedPrologue;
  private StatementKind control;
  private String controlSql;
  private TransactionState stateBefore;
  private boolean discardAll;
  /**
   * Client info, kept by the handle only: pgjdbc would send a session-level {@code SET application_name}, which would
   * leak to other clients of the pooler. Created on first use.
   */
  private Properties clientInfo;

  TransactionModeSession(Connection delegate, SessionStatePolicy policy, String initialSearchPath) {
    this.delegate = delegate;
    this.server = delegate instanceof BaseConnection ? (BaseConnection) delegate : null;
    this.policy = policy;
    this.settings = new TransactionSettings(initialSearchPath);
    this.splitsStatements = server != null && server.getPreferQueryMode().compareTo(PreferQueryMode.EXTENDED) >= 0;
  }

  // ---------------------------------------------------------------- statements

  /**
   * Runs right before a statement is sent and returns the SQL to send instead of {@code sql}: itself, or the
   * transaction-scoped rewrite of a setting change. Whatever an earlier statement left behind is forgotten first.
   *
   * @param rewritable whether the caller sends the returned SQL (not a batch)
   * @param fusable whether the caller can send a prologue in front of {@code sql} and skip its result
   *     ({@link #fusedPrologue()}): a plain {@code Statement} execution without generated keys, or a prepared one that
   *     holds the same statement with the settings in front
   */
  String beforeStatement(String sql, StatementTraits traits, boolean rewritable, boolean fusable)
      throws SQLException {
    forgetStatement();
    if (!traits.isSpecial() && settings.isEmpty()) {
      return sql; // the common case: nothing to apply, nothing to recognize
    }
    SettingChange emulated = null;
    if (traits.feature != SessionFeature.NONE) {
      emulated = rewritable ? SessionStateGuard.emulation(sql, traits.feature, policy) : null;
      if (emulated == null) {
        SessionStateGuard.check(sql, traits.feature, policy);
      }
    }
    StatementKind kind = traits.kind;
    if (kind == StatementKind.SEVERAL_WITH_TRANSACTION_CONTROL && !settings.isEmpty()) {
      throw SqlStates.notSupported("Transaction mode applies this connection handle's settings ("
          + describeSettings() + ") at the start of each transaction, which it cannot do between the statements of "
          + "one string: send BEGIN, COMMIT, ROLLBACK and savepoints as statements of their own.");
    }
    if (kind.isTransactionControl()) {
      stateBefore = state();
      if (kind == StatementKind.SAVEPOINT && !autoCommit && stateBefore == TransactionState.IDLE) {
        openTransaction(); // pgjdbc begins the transaction for the savepoint: the settings come first
      }
      control = kind;
      controlSql = sql;
      return sql;
    }
    if (kind.isNonTransactional()) {
      // Never wrapped. Inside a transaction PostgreSQL refuses it, as it would with plain pgjdbc.
      boolean discard = StatementKind.isDiscardAll(sql);
      if (!discard && autoCommit && state() == TransactionState.IDLE) {
        checkRunsAlone(sql, kind);
      }
      discardAll = discard;
      return sql;
    }
    if (emulated == null && settings.isEmpty()) {
      return sql;
    }
    String toRun = emulated == null ? sql
        : emulated.kind() == SettingChange.Kind.RESET_ALL ? resetAllSql() : emulated.transactionScopedSql();
    TransactionState state = state();
    if (state == TransactionState.IDLE) {
      applied = false;
      // With autocommit off pgjdbc sends its BEGIN in the same execution: the settings open the transaction as
      // openTransaction would, unless an isolation level must come first (SET TRANSACTION, a second result).
      String prologue = fusable && emulated == null && (autoCommit || settings.isolation() < 0)
          ? fusablePrologue(traits) : null;
      if (prologue != null) {
        fusedPrologue = prologue; // the caller sends it in front of the statement
        applied = !autoCommit;
        return sql;
      }
      if (!autoCommit) {
        openTransaction();
      } else if (emulated != null || settings.hasValues()) {
        wrap();
      }
    } else if (!applied) {
      // Opened by something the handle did not see begin (a pgjdbc-internal query, the unwrapped connection): the
      // settings still apply from here on; the isolation level cannot change after a query.
      applyToOpenTransaction(false);
    }
    change = emulated; // staged only once the setup succeeded
    return toRun;
  }

  @Override
  public void afterStatement(boolean succeeded) throws SQLException {
    SettingChange staged = change;
    boolean wasWrapped = wrapped;
    StatementKind kind = control;
    String sql = controlSql;
    TransactionState before = stateBefore;
    boolean discarded = discardAll && succeeded;
    forgetStatement();
    if (discarded) {
      // DISCARD ALL resets the session's settings to the connection's defaults: so does the emulation.
      settings.clear(false);
      settings.isolation(-1);
    }
    boolean ok = succeeded;
    Throwable failure = null;
    String value = null;
    try {
      if (ok && staged != null && staged.kind() == SettingChange.Kind.SET) {
        value = currentSetting(staged.name());
      }
      if (kind != null) {
        afterTransactionControl(kind, sql, before, ok);
      }
    } catch (SQLException | RuntimeException | Error e) {
      ok = false;
      failure = e;
    }
    if (wasWrapped) {
      try {
        endWrapper(ok);
      } catch (SQLException e) {
        ok = false;
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (ok && staged != null) {
      remember(staged, value, !wasWrapped);
      if (!wasWrapped && staged.kind() != SettingChange.Kind.SET && settings.hasInitial(staged.name())
          && state() == TransactionState.OPEN) {
        // The rewrite reset to the server's default; the handle's own default is its initial value.
        try {
          applySearchPath();
        } catch (SQLException e) {
          failure = e;
        }
      }
    }
    rethrow(failure);
  }

  /**
   * Ends the statement's own transaction. A connection lost while its {@code COMMIT} is in flight is reported as
   * {@link CommitOutcome#UNKNOWN}: the statement may or may not have taken effect.
   */
  private void endWrapper(boolean commit) throws SQLException {
    if (!commit) {
      execute("ROLLBACK");
      return;
    }
    boolean inFlight = state() == TransactionState.OPEN;
    try {
      execute("COMMIT");
    } catch (SQLException e) {
      throw inFlight ? CommitOutcome.translate(e) : e;
    }
  }

  /**
   * The prologue the caller must send in front of the SQL {@link #beforeStatement} returned, in the same execution,
   * skipping its one result; null when there is none. Until the next statement.
   */
  String fusedPrologue() {
    return fusedPrologue;
  }

  /**
   * The prologue a statement with {@code traits} could be sent with in one execution if it ran now in autocommit with
   * no transaction open, or null: the {@code SELECT set_config(...)} of the handle's settings, when pgjdbc sends a
   * text of several statements as several with one Sync, standard-conforming strings (which the lexical checks
   * assume) are on, and the statement is exactly one that is not procedure code. Its text changes only when the
   * settings change.
   */
  String fusablePrologue(StatementTraits traits) {
    return splitsStatements && traits.fusable && !traits.isSpecial() && settings.hasValues()
        && server.getStandardConformingStrings() ? settings.valuesSql() : null;
  }

  private void forgetStatement() {
    change = null;
    wrapped = false;
    fusedPrologue = null;
    control = null;
    controlSql = null;
    stateBefore = null;
    discardAll = false;
  }

  /** The SQL to prepare for {@code sql}: a raw setting change is prepared as its transaction-scoped rewrite. */
  String sqlToPrepare(String sql) {
    StatementTraits traits = SessionStateGuard.traits(sql);
    if (traits.feature != SessionFeature.NONE) {
      SettingChange emulated = SessionStateGuard.emulation(sql, traits.feature, policy);
      if (emulated != null) {
        return emulated.kind() == SettingChange.Kind.RESET_ALL ? resetAllSql() : emulated.transactionScopedSql();
      }
    }
    return sql;
  }

  /** The value a setting change gave, read back inside the transaction it ran in. */
  private String currentSetting(String name) throws SQLException {
    try (Statement statement = delegate.createStatement();
        ResultSet value = statement.executeQuery("SELECT current_setting('" + name.replace("'", "''") + "')")) {
      value.next();
      return value.getString(1);
    }
  }

  private void remember(SettingChange staged, String value, boolean inTransaction) {
    switch (staged.kind()) {
      case SET:
        settings.put(staged.name(), value, inTransaction);
        break;
      case RESET:
        settings.remove(staged.name(), inTransaction);
        break;
      default:
        settings.clear(inTransaction);
        settings.isolation(-1); // RESET ALL resets default_transaction_isolation, where pgjdbc keeps it
    }
  }

  /** {@code RESET ALL} in the current transaction: the settings the handle applied go back to their defaults. */
  private String resetAllSql() {
    StringBuilder sql = new StringBuilder("SET LOCAL search_path TO DEFAULT");
    for (String name : settings.names()) {
      if (!name.equals("search_path")) {
        sql.append("; SET LOCAL ").append(name).append(" TO DEFAULT");
      }
    }
    return sql.toString();
  }

  /**
   * A statement PostgreSQL refuses inside a transaction block runs alone, so the handle's settings do not apply to
   * it. That is fine unless they change what it does: the {@code search_path} decides which relation an unqualified
   * name means, and any other setting ({@code role}, timeouts...) may change how it runs.
   */
  private void checkRunsAlone(String sql, StatementKind kind) throws SQLException {
    boolean schemaMatters = kind == StatementKind.NON_TRANSACTIONAL_BY_NAME && settings.has("search_path");
    if (!schemaMatters && !settings.hasValuesOtherThanSearchPath()) {
      return;
    }
    throw SqlStates.notSupported("This statement cannot run inside a transaction block, so in transaction mode it "
        + "runs alone, without the settings this connection handle applies to its transactions ("
        + describeSettings() + "), and they would change what it does. " + (schemaMatters ? "Schema-qualify the names it acts on, or run" : "Run")
        + " it on a connection with mode=direct (or mode=session) instead.");
  }

  private String describeSettings() {
    StringBuilder names = new StringBuilder();
    for (String name : settings.names()) {
      names.append(names.length() == 0 ? "" : ", ").append(name);
    }
    if (settings.isolation() >= 0) {
      names.append(names.length() == 0 ? "" : ", ").append("the isolation level");
    }
    return names.append(" from setSchema, currentSchema, SET or setTransactionIsolation").toString();
  }

  private void afterTransactionControl(StatementKind kind, String sql, TransactionState before, boolean ok)
      throws SQLException {
    TransactionState after = state();
    switch (kind) {
      case BEGIN:
        if (ok && before == TransactionState.IDLE && after != TransactionState.IDLE) {
          applied = false;
          applyToOpenTransaction(!StatementKind.namesIsolationLevel(sql));
        }
        return;
      case SAVEPOINT:
        if (ok) {
          settings.savepoint(StatementKind.savepointName(sql));
        }
        return;
      case RELEASE:
        if (ok) {
          settings.released(StatementKind.savepointName(sql));
        }
        return;
      case ROLLBACK_TO:
        if (ok) {
          settings.rolledBackTo(StatementKind.savepointName(sql));
        }
        return;
      default: // COMMIT, ROLLBACK, PREPARE TRANSACTION, several statements
        boolean ended = before != TransactionState.IDLE && (after == TransactionState.IDLE || ok);
        if (kind == StatementKind.SEVERAL_WITH_TRANSACTION_CONTROL) {
          ended = after == TransactionState.IDLE || before != after;
        }
        if (ended) {
          boolean committed = ok && kind != StatementKind.ROLLBACK && before != TransactionState.FAILED;
          if (committed) {
            settings.committed();
          } else {
            settings.rolledBack();
          }
        }
        applied = false;
        if (after == TransactionState.OPEN) {
          applyToOpenTransaction(false); // COMMIT AND CHAIN keeps the isolation level, not SET LOCAL values
        }
    }
  }

  // ---------------------------------------------------------------- applying the settings

  /** Autocommit off, no transaction open: the settings open it (pgjdbc sends its BEGIN first). */
  private void openTransaction() throws SQLException {
    String prologue = settings.prologue(true);
    if (!prologue.isEmpty()) {
      try {
        execute(prologue);
      } catch (SQLException | RuntimeException | Error e) {
        // Only the settings ran in this transaction: rolling it back loses nothing of the application's.
        rollbackQuietly(e, "ROLLBACK");
        settings.rolledBack();
        throw e;
      }
    }
    applied = true;
  }

  /** Autocommit, no transaction open: the statement gets a transaction of its own. */
  private void wrap() throws SQLException {
    try {
      execute(settings.wrapperPrologue());
    } catch (SQLException | RuntimeException | Error e) {
      rollbackQuietly(e, "ROLLBACK");
      throw e;
    }
    wrapped = true;
    applied = true;
  }

  private void applyToOpenTransaction(boolean withIsolation) throws SQLException {
    String prologue = settings.prologue(withIsolation);
    if (!prologue.isEmpty()) {
      execute(prologue);
    }
    applied = true;
  }

  private void rollbackQuietly(Throwable primary, String sql) {
    try {
      if (state() != TransactionState.IDLE) {
        execute(sql);
      }
    } catch (SQLException | RuntimeException e) {
      primary.addSuppressed(e);
    }
  }

  // ---------------------------------------------------------------- JDBC calls

  /** pgjdbc's metadata, made to open transactions the way the handle's statements do. */
  DatabaseMetaData metaData(DatabaseMetaData metaData) {
    return (DatabaseMetaData) Proxy.newProxyInstance(TransactionModeSession.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == DatabaseMetaData.class && method.getReturnType() == ResultSet.class) {
            beforeImplicitQuery(); // metadata queries open the transaction: the settings come first
          }
          try {
            return method.invoke(metaData, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public void beforeImplicitQuery() throws SQLException {
    if (!autoCommit && !settings.isEmpty() && state() == TransactionState.IDLE) {
      openTransaction();
    }
  }

  /**
   * pgjdbc's describe of a prepared statement that has not run ({@code getMetaData}, {@code getParameterMetaData}):
   * it sees the handle's settings as the statement would, and any server-side name pgjdbc gives the statement for it
   * ({@link DescribedStatements}) is closed on the server connection it was created on. So the describe runs in a
   * transaction: the open one, the one pgjdbc begins with autocommit off (the handle's settings first), or in
   * autocommit one of its own, rolled back (a describe changes nothing), whose {@code ROLLBACK} carries the Close.
   * pgjdbc suppresses its own {@code BEGIN} for a describe, hence the explicit one.
   */
  <T> T describe(PreparedStatement statement, Describe<T> describe) throws SQLException {
    TransactionState state = state();
    boolean own = state == TransactionState.IDLE && autoCommit;
    if (own) {
      try {
        execute(settings.hasValues() ? settings.wrapperPrologue() : "BEGIN");
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(e, "ROLLBACK");
        throw e;
      }
    } else if (state == TransactionState.IDLE) {
      openTransaction();
      if (state() == TransactionState.IDLE) {
        execute("BEGIN"); // nothing to apply: pgjdbc's BEGIN opens the transaction (this one only warns)
      }
    } else if (!applied && settings.hasValues()) {
      applyToOpenTransaction(false);
    }
    T described;
    try {
      described = describe.call();
      DescribedStatements.forgetServerName(statement);
    } catch (SQLException | RuntimeException | Error e) {
      if (own) {
        rollbackQuietly(e, "ROLLBACK");
      }
      throw e;
    }
    if (own) {
      execute("ROLLBACK");
    }
    return described;
  }

  /** One of pgjdbc's describing calls. */
  @FunctionalInterface
  interface Describe<T> {
    T call() throws SQLException;
  }

  @Override
  public void autoCommit(boolean autoCommit) {
    this.autoCommit = autoCommit;
  }

  @Override
  public void transactionEnded(boolean committed) {
    if (committed) {
      settings.committed();
    } else {
      settings.rolledBack();
    }
    applied = false;
  }

  /** A savepoint was set through the JDBC API. */
  void savepointSet(Savepoint savepoint) {
    settings.savepoint(nameOf(savepoint));
  }

  @Override
  public void rolledBackTo(Savepoint savepoint) {
    settings.rolledBackTo(nameOf(savepoint));
  }

  @Override
  public void released(Savepoint savepoint) {
    settings.released(nameOf(savepoint));
  }

  /** The savepoint's name as the server knows it, the key SQL savepoints use too. */
  private static String nameOf(Savepoint savepoint) {
    try {
      if (savepoint instanceof PSQLSavepoint) {
        return StatementKind.identifier(((PSQLSavepoint) savepoint).getPGName(), 0);
      }
      return savepoint.getSavepointName();
    } catch (SQLException e) {
      return null; // not a savepoint of this transaction: nothing to undo
    }
  }

  /** {@code setTransactionIsolation}: kept for the next transactions; refused inside one, as pgjdbc does. */
  void isolation(int level) throws SQLException {
    if (state() != TransactionState.IDLE) {
      throw new SQLException(CANNOT_CHANGE_ISOLATION, "25001");
    }
    settings.isolation(level);
  }

  int isolation() {
    return settings.isolation();
  }

  Properties clientInfo() {
    if (clientInfo == null) {
      clientInfo = new Properties();
    }
    return clientInfo;
  }

  boolean isEmpty() {
    return settings.isEmpty();
  }

  /**
   * {@code setSchema}: pgjdbc runs a session {@code SET search_path}, which opens the transaction when autocommit is
   * off and is undone by a rollback of the transaction it ran in; the emulation does the same.
   */
  void schema(String schema) throws SQLException {
    TransactionState state = state();
    if (state == TransactionState.IDLE && autoCommit) {
      settings.schema(schema, false); // applied to the next statement's transaction
      return;
    }
    // In a transaction: kept first (a rollback of the transaction, or to an earlier savepoint, undoes it as it would
    // undo pgjdbc's SET), then applied to it with the other settings if they are not applied yet.
    settings.schema(schema, true);
    if (state == TransactionState.IDLE) {
      applied = false;
      openTransaction();
    } else if (!applied) {
      applyToOpenTransaction(false);
    } else {
      applySearchPath();
    }
  }

  /** Applies the handle's search_path to the open transaction. */
  private void applySearchPath() throws SQLException {
    execute(searchPathSql(settings.value("search_path")));
  }

  private static String searchPathSql(String value) {
    return value == null ? "SET LOCAL search_path TO DEFAULT"
        : "SELECT set_config('search_path', '" + value.replace("'", "''") + "', true)";
  }

  // ---------------------------------------------------------------- the server

  private TransactionState state() throws SQLException {
    if (server != null) {
      return server.getTransactionState();
    }
    return delegate.getAutoCommit() ? TransactionState.IDLE : TransactionState.OPEN;
  }

  /** Runs the driver's own SQL on the physical connection, untraced and unchecked. */
  private void execute(String sql) throws SQLException {
    try (Statement statement = delegate.createStatement()) {
      statement.execute(sql);
    }
  }

  private static void rethrow(Throwable failure) throws SQLException {
    if (failure == null) {
      return;
    }
    if (failure instanceof SQLException) {
      throw (SQLException) failure;
    }
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    throw (Error) failure;
  }
}
