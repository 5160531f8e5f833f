package io.github.serverlesspg.logical;

import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.physical.Borrow;
import io.github.serverlesspg.physical.PhysicalConnection;
import io.github.serverlesspg.physical.PhysicalPool;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.sql.SessionFeature;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * The handle an application gets from {@code getConnection}: a view of one physical pgjdbc connection that is
 * returned to its pool, not closed, on {@link #close()}.
 *
 * <p>Only what the handle changed is reset on close (dirty bits, as HikariCP does), so a warm cycle costs no round
 * trip. In transaction mode, settings that pgjdbc would apply with session-level {@code SET}s (isolation, schema,
 * client info) are kept here and applied to each transaction instead, so they never leak to another client of the
 * pooler. Not thread-safe, like any JDBC connection, except {@link #close()}, {@link #isClosed()} and {@link #abort}.
 */
public final class LogicalConnection implements Connection {
  private static final int DIRTY_AUTOCOMMIT = 1;
  private static final int DIRTY_READ_ONLY = 1 << 1;
  private static final int DIRTY_ISOLATION = 1 << 2;
  private static final int DIRTY_SCHEMA = 1 << 3;
  private static final int DIRTY_NETWORK_TIMEOUT = 1 << 4;
  private static final int DIRTY_CLIENT_INFO = 1 << 5;
  private static final int DIRTY_HOLDABILITY = 1 << 6;
  private static final int DIRTY_TYPE_MAP = 1 << 7;
  private static final int DIRTY_SESSION_SQL = 1 << 8;

  private static final int OPEN = 0;
  private static final int CLOSING = 1;
  private static final int CLOSED = 2;
  /** {@link #abort} while closing: the socket is being aborted under the close, which must not reuse the connection. */
  private static final int ABORTING = 3;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(LogicalConnection.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The physical connection and the lease this handle ends on close (a stale release can never end someone
   * else's); also the weak reference by which the pool reclaims the connection if this handle is dropped unclosed.
   */
  private final Borrow borrow;
  private final PhysicalPool pool;
  private final ConnectionPlan plan;
  private final ExecutionTracer tracer;
  private final boolean transactionMode;
  private final LeakDetector.Watch leakWatch;
  /**
   * Transaction mode: the emulated session, created when first needed ({@link #session()}): a handle whose statements
   * are ordinary and that changes no setting (most of them) never needs one. Null until then and in the other modes.
   */
  private TransactionModeSession session;
  /** Created with the first statement: a warm cycle without statements allocates none of it. */
  private OpenStatements openStatements;
  /** Open, closing, aborting or closed; changed by compare-and-set, so that close and abort act once between them. */
  private volatile int state;
  private int dirty;
  /**
   * Whether a call that can reach the server went through {@link #checkOpen} (all but {@code isValid},
   * {@code setClientInfo}, {@code close} and {@code abort}): only then can the application have opened a transaction
   * in autocommit mode, with SQL, which close must roll back.
   */
  private boolean used;
  private boolean autoCommit = true;

  /** Restored on close in session and direct mode; created by the first change. */
  private OriginalSettings originals;
  /** Whether the statement being executed is a SQL {@code COMMIT} of an open transaction. */
  private boolean commitStatementInFlight;

  /**
   * Wraps a physical connection just borrowed from {@code pool}. If the application drops this handle without
   * closing it, the pool reclaims the physical connection once the handle is garbage-collected.
   */
  public LogicalConnection(PhysicalConnection physical, PhysicalPool pool, ConnectionPlan plan,
      ExecutionTracer tracer, LeakDetector leakDetector) {
    this.pool = pool;
    this.plan = plan;
    this.tracer = tracer;
    this.transactionMode = plan.mode() == ConnectionMode.TRANSACTION;
    this.leakWatch = leakDetector == null ? null : leakDetector.watch(this);
    this.borrow = pool.watch(physical, this, leakWatch == null ? null : leakWatch.origin());
    if (transactionMode && plan.initialSchema() != null) {
      session(); // the initial schema applies to every statement: the session is needed at once
    }
  }

  /** The physical connection behind this handle: for the driver's own layers, not for applications. */
  public PhysicalConnection physical() {
    return borrow.connection();
  }

  /** The pgjdbc connection; not a field of its own, so that a handle is one field smaller (the warm cycle's bytes). */
  private Connection delegate() {
    return borrow.connection().connection();
  }

  /**
   * The transaction-mode session, created now if it was not needed before. Until then the handle ordered no setting,
   * savepoint or special statement, so a new session, told the autocommit mode, is exactly what one created with the
   * handle would be by now.
   */
  private TransactionModeSession session() {
    if (session == null) {
      session = new TransactionModeSession(delegate(), plan.sessionState(), plan.initialSchema());
      session.autoCommit(autoCommit);
    }
    return session;
  }

  /**
   * The session-state emulation for calls that change nothing in a session not created yet (statement ends,
   * transaction ends, savepoint releases and rollbacks): {@link TransactionEmulation#NONE} until then, as in the
   * other modes.
   */
  private TransactionEmulation emulation() {
    return session != null ? session : TransactionEmulation.NONE;
  }

  /** The plan this connection was made from. */
  public ConnectionPlan plan() {
    return plan;
  }

  ExecutionTracer tracer() {
    return tracer;
  }

  // ---------------------------------------------------------------- statement hooks

  /**
   * Runs before every statement execution: checks that the handle is open and, in transaction mode, applies the
   * session-state policy and the per-transaction emulation ({@link TransactionModeSession}).
   *
   * @param rewritable whether the caller sends the returned SQL (not a batch), so that a raw setting change can be
   *     run as its transaction-scoped rewrite
   * @param fusable whether the caller can send the handle's settings in front of {@code sql} in the same execution
   *     and skip their result, when {@link #fusedPrologue()} gives them
   * @return the SQL to send: {@code sql} itself or its rewrite, for this execution only
   */
  String beforeStatement(String sql, boolean rewritable, boolean fusable) throws SQLException {
    checkOpen();
    commitStatementInFlight = CommitOutcome.isCommitStatement(sql) && CommitOutcome.mayCommit(delegate());
    if (transactionMode) {
      StatementTraits traits = SessionStateGuard.traits(sql);
      if (session == null && !traits.isSpecial()) {
        return sql; // no settings to apply, nothing to recognize: what a new session would answer
      }
      try {
        return session().beforeStatement(sql, traits, rewritable, fusable);
      } catch (SQLException e) {
        throw failed(e);
      }
    }
    if ((dirty & DIRTY_SESSION_SQL) == 0 && SessionStateGuard.featureOf(sql) != SessionFeature.NONE) {
      sessionSql();
    }
    return sql;
  }

  /**
   * The handle's settings to send in front of the SQL the last {@link #beforeStatement} returned, in the same
   * execution, as a statement of one result that the caller skips before the application sees anything; or null.
   */
  String fusedPrologue() {
    return session == null ? null : session.fusedPrologue();
  }

  /**
   * In transaction mode, the settings {@code sql} could be sent with in one execution if it ran now in autocommit
   * ({@link TransactionModeSession#fusablePrologue}); null otherwise and in the other modes.
   */
  String fusablePrologue(String sql) {
    return session == null ? null : session.fusablePrologue(SessionStateGuard.traits(sql));
  }

  /**
   * Applies the session-state policy to one statement of a plain batch: every entry is checked when it is added,
   * since the batch's execution knows only the first. Batches are never rewritten, so settings in them are not
   * emulated.
   */
  void checkBatchEntry(String sql) throws SQLException {
    checkOpen();
    if (transactionMode) {
      SessionStateGuard.check(sql, SessionStateGuard.featureOf(sql), plan.sessionState());
    } else if ((dirty & DIRTY_SESSION_SQL) == 0 && SessionStateGuard.featureOf(sql) != SessionFeature.NONE) {
      sessionSql();
    }
  }

  /**
   * Session or direct mode, the handle's first SQL that creates session state: fine here, but it must not reach the
   * next handle of this connection, so close runs DISCARD ALL. The client info is captured before the SQL runs (it may
   * be a SET application_name): DISCARD ALL drops what pgjdbc set after login, so close restores it.
   */
  private void sessionSql() throws SQLException {
    captureClientInfo();
    dirty |= DIRTY_SESSION_SQL;
  }

  private void captureClientInfo() throws SQLException {
    OriginalSettings originals = originals();
    if (originals.clientInfo == null) {
      // A copy: pgjdbc hands out the Properties it keeps updating.
      Properties clientInfo = new Properties();
      clientInfo.putAll(delegate().getClientInfo());
      originals.clientInfo = clientInfo;
    }
  }

  private OriginalSettings originals() {
    if (originals == null) {
      originals = new OriginalSettings();
    }
    return originals;
  }

  /**
   * The SQL to prepare for {@code sql}: in transaction mode, a raw setting change is prepared as its
   * transaction-scoped rewrite.
   */
  private String sqlToPrepare(String sql) {
    if (!transactionMode || (session == null && SessionStateGuard.featureOf(sql) == SessionFeature.NONE)) {
      return sql;
    }
    return session().sqlToPrepare(sql);
  }

  /**
   * The failure of a statement as the application sees it: a SQL {@code COMMIT} whose connection was lost in flight
   * is reported as {@link CommitOutcome#UNKNOWN}, as {@link #commit()} is.
   */
  SQLException statementFailure(SQLException failure) {
    return commitStatementInFlight ? CommitOutcome.translate(failure) : failure;
  }

  /**
   * Runs after every execution that {@link #beforeStatement} let through, whatever it threw: ends the transaction the
   * emulation opened for the statement, if any.
   */
  void afterStatement(Throwable failure) throws SQLException {
    if (failure instanceof SQLException && ConnectionErrors.isFatal((SQLException) failure)) {
      physical().markBroken();
    }
    try {
      emulation().afterStatement(failure == null);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /**
   * pgjdbc's describe of a prepared statement ({@code getMetaData}, {@code getParameterMetaData}); in transaction mode
   * with the handle's settings and without leaving a server-side name behind
   * ({@link TransactionModeSession#describe}).
   */
  <T> T describe(PreparedStatement statement, TransactionModeSession.Describe<T> describe) throws SQLException {
    checkOpen();
    if (!transactionMode) {
      return describe.call();
    }
    try {
      return session().describe(statement, describe);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Records a failure of a delegated call that is not a statement execution. */
  SQLException failed(SQLException failure) {
    if (ConnectionErrors.isFatal(failure)) {
      physical().markBroken();
    }
    return failure;
  }

  void opened(LogicalStatement statement) {
    if (openStatements == null) {
      openStatements = new OpenStatements();
    }
    openStatements.add(statement);
  }

  void closed(LogicalStatement statement) {
    if (openStatements != null) {
      openStatements.remove(statement);
    }
  }

  // ---------------------------------------------------------------- close and reset

  /**
   * Resets what this handle changed and returns the physical connection to its pool. A connection whose reset fails
   * is discarded instead, so the next handle never sees this one's state.
   */
  @Override
  public void close() throws SQLException {
    if (!STATE.compareAndSet(this, OPEN, CLOSING)) {
      return; // closed or aborted already, perhaps by another thread at this very moment
    }
    if (leakWatch != null) {
      leakWatch.cancel();
    }
    PhysicalConnection physical = borrow.connection();
    try {
      closeStatements();
      reset(physical);
    } catch (SQLException | RuntimeException e) {
      // Also how a connection that pgjdbc or the application (through unwrap) closed is noticed: reset starts with
      // clearWarnings, which JDBC makes throw on a closed connection.
      physical.markBroken();
    } finally {
      if (!STATE.compareAndSet(this, CLOSING, CLOSED)) {
        // abort() is closing the socket under this close: the connection must not be lent again.
        physical.markBroken();
        state = CLOSED;
      }
      pool.release(physical, borrow.lease());
      // This handle must stay reachable until the release is done, or the pool could take it for abandoned.
      java.lang.ref.Reference.reachabilityFence(this);
    }
  }

  private void closeStatements() throws SQLException {
    if (openStatements == null || openStatements.size() == 0) {
      return;
    }
    for (LogicalStatement statement : openStatements.drain()) {
      statement.closeFromConnection();
    }
  }

  private void reset(PhysicalConnection physical) throws SQLException {
    if (physical.isBroken()) {
      return;
    }
    // The next handle starts without this one's warnings, as a new connection would. Also pgjdbc's lock: a close on
    // another thread (a watchdog's) reads the fields below after it, so it sees what the owner wrote before its
    // last pgjdbc call, which released that lock.
    delegate().clearWarnings();
    if (!autoCommit) {
      if (transactionState() != TransactionState.IDLE) {
        delegate().rollback();
      }
      delegate().setAutoCommit(true);
    } else if (used && transactionState() != TransactionState.IDLE) {
      // A transaction the application opened with plain SQL (BEGIN) in autocommit mode. An unused handle cannot have
      // one: every handle starts on a connection with none, and the server's state is not free to ask (pgjdbc locks).
      execute("ROLLBACK");
    }
    if (dirty == 0) {
      return;
    }
    if ((dirty & DIRTY_READ_ONLY) != 0) {
      delegate().setReadOnly(false);
    }
    if ((dirty & DIRTY_SESSION_SQL) != 0) {
      // DISCARD ALL also drops pgjdbc's server-side statements; pgjdbc notices the command and forgets them.
      execute("DISCARD ALL");
      if (plan.initialSchema() != null && plan.mode() == ConnectionMode.SESSION) {
        delegate().setSchema(plan.initialSchema());
      }
    }
    // After DISCARD ALL the server's isolation and schema are the connection's own again: the originals the setters
    // captured may already carry the handle's raw SQL (SET SESSION CHARACTERISTICS ran first), so restoring them
    // would hand that SQL's state to the next handle. The client info was captured before any change of either kind.
    boolean discarded = (dirty & DIRTY_SESSION_SQL) != 0;
    OriginalSettings originals = this.originals;
    if ((dirty & DIRTY_ISOLATION) != 0 && !transactionMode && !discarded) {
      delegate().setTransactionIsolation(originals.isolation);
    }
    if ((dirty & DIRTY_SCHEMA) != 0 && !transactionMode && !discarded) {
      delegate().setSchema(originals.schema);
    }
    if ((dirty & DIRTY_NETWORK_TIMEOUT) != 0) {
      delegate().setNetworkTimeout(Runnable::run, originals.networkTimeout);
    }
    if ((dirty & (DIRTY_CLIENT_INFO | DIRTY_SESSION_SQL)) != 0 && !transactionMode) {
      delegate().setClientInfo(originals.clientInfo);
    }
    if ((dirty & DIRTY_HOLDABILITY) != 0) {
      delegate().setHoldability(originals.holdability);
    }
    if ((dirty & DIRTY_TYPE_MAP) != 0) {
      delegate().setTypeMap(originals.typeMap);
    }
  }

  /** Runs the driver's own SQL on the physical connection, untraced and unchecked. */
  private void execute(String sql) throws SQLException {
    try (Statement statement = delegate().createStatement()) {
      statement.execute(sql);
    }
  }

  private TransactionState transactionState() throws SQLException {
    return delegate() instanceof BaseConnection
        ? ((BaseConnection) delegate()).getTransactionState() : TransactionState.OPEN;
  }

  @Override
  public boolean isClosed() {
    return state != OPEN;
  }

  /**
   * Discards the physical connection: its socket is closed by {@code executor} (pgjdbc's abort), it is never reused,
   * and its slot in the pool is free when this returns. This handle is closed when this returns, even if the
   * executor refuses the task (the socket is then closed on this thread) or pgjdbc fails. If {@link #close()} is
   * running meanwhile (stuck on a dead network, say), the socket is aborted under it and close frees the slot.
   *
   * @throws SQLException 22023 if {@code executor} is null, before anything else happens
   */
  @Override
  public void abort(Executor executor) throws SQLException {
    if (executor == null) {
      throw SqlStates.invalidParameter("Connection.abort needs an Executor to close the connection with; got null.");
    }
    if (STATE.compareAndSet(this, OPEN, CLOSED)) {
      if (leakWatch != null) {
        leakWatch.cancel();
      }
      abortPhysical(executor);
      pool.discard(borrow.connection(), borrow.lease());
      java.lang.ref.Reference.reachabilityFence(this);
    } else if (STATE.compareAndSet(this, CLOSING, ABORTING)) {
      // The close sees this and discards the connection; once the close has released it, abort must not touch it
      // (it may be lent to someone else already), which the compare-and-set makes sure of.
      abortPhysical(executor);
    }
  }

  private void abortPhysical(Executor executor) {
    physical().markBroken();
    try {
      delegate().abort(executor);
    } catch (SQLException | RuntimeException refused) {
      try {
        // The executor refused the task (or pgjdbc failed): close the socket on this thread, which does no I/O.
        delegate().abort(DirectExecutor.INSTANCE);
      } catch (SQLException | RuntimeException ignored) {
        // Already closed.
      }
    }
  }

  /** Runs the abort on the calling thread; a class rather than {@code Runnable::run}, as elsewhere on cold paths. */
  private static final class DirectExecutor implements Executor {
    static final DirectExecutor INSTANCE = new DirectExecutor();

    @Override
    public void execute(Runnable command) {
      command.run();
    }
  }

  private void checkOpen() throws SQLException {
    if (state != OPEN) {
      throw SqlStates.closed("This connection");
    }
    used = true;
  }

  // ---------------------------------------------------------------- transactions

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    checkOpen();
    TransactionState before = this.autoCommit || !autoCommit ? null : transactionState();
    try {
      delegate().setAutoCommit(autoCommit);
    } catch (SQLException e) {
      throw failed(e);
    } finally {
      if (before != null && before != TransactionState.IDLE) {
        // pgjdbc committed the open transaction (PostgreSQL rolls back a failed one).
        emulation().transactionEnded(before == TransactionState.OPEN && transactionState() == TransactionState.IDLE);
      }
    }
    this.autoCommit = autoCommit;
    emulation().autoCommit(autoCommit);
    dirty |= DIRTY_AUTOCOMMIT;
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return autoCommit;
  }

  /**
   * Commits; unlike pgjdbc, whose commit of a transaction the server already failed returns normally (PostgreSQL
   * answers COMMIT with ROLLBACK), this throws {@link SQLTransactionRollbackException} (SQLSTATE 40000) after rolling
   * it back, so that no application takes a rolled-back transaction for a committed one.
   */
  @Override
  public void commit() throws SQLException {
    endTransaction("COMMIT", true);
  }

  @Override
  public void rollback() throws SQLException {
    endTransaction("ROLLBACK", false);
  }

  private void endTransaction(String name, boolean commit) throws SQLException {
    checkOpen();
    boolean failedBefore = commit && !autoCommit && transactionState() == TransactionState.FAILED;
    Object token = tracer.start(name, false, 0);
    SQLException failure = null;
    boolean committed = false;
    try {
      if (commit && !failedBefore) {
        CommitOutcome.commit(delegate());
        committed = true;
      } else {
        delegate().rollback();
      }
      if (failedBefore) {
        failure = new SQLTransactionRollbackException("The transaction was rolled back, not committed, because an "
            + "earlier statement in it failed (the server refuses every statement after a failed one until the "
            + "transaction ends). Find the first failure, then retry the whole transaction.", "40000");
      }
    } catch (SQLException e) {
      failure = failed(e);
    } finally {
      if (!autoCommit) {
        emulation().transactionEnded(committed);
      }
      tracer.end(token, failure);
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    checkOpen();
    try {
      delegate().rollback(savepoint);
    } catch (SQLException e) {
      throw failed(e);
    }
    emulation().rolledBackTo(savepoint);
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    checkOpen();
    emulation().beforeImplicitQuery();
    Savepoint savepoint = delegate().setSavepoint();
    savepointSet(savepoint);
    return savepoint;
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    checkOpen();
    emulation().beforeImplicitQuery();
    Savepoint savepoint = delegate().setSavepoint(name);
    savepointSet(savepoint);
    return savepoint;
  }

  /** Transaction mode keeps the settings as they were at each savepoint, to undo what a rollback to it undoes. */
  private void savepointSet(Savepoint savepoint) {
    if (transactionMode) {
      session().savepointSet(savepoint);
    }
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    checkOpen();
    delegate().releaseSavepoint(savepoint);
    emulation().released(savepoint);
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen();
    // The plan forces readOnlyMode=transaction in transaction mode, so pgjdbc applies this per transaction.
    delegate().setReadOnly(readOnly);
    dirty |= DIRTY_READ_ONLY;
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return delegate().isReadOnly();
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    if (level != TRANSACTION_READ_UNCOMMITTED && level != TRANSACTION_READ_COMMITTED
        && level != TRANSACTION_REPEATABLE_READ && level != TRANSACTION_SERIALIZABLE) {
      throw SqlStates.invalidParameter("Unsupported transaction isolation level " + level
          + ": use one of the Connection.TRANSACTION_* constants other than TRANSACTION_NONE.");
    }
    if (transactionMode) {
      session().isolation(level);
      return;
    }
    if ((dirty & DIRTY_ISOLATION) == 0) {
      originals().isolation = delegate().getTransactionIsolation();
    }
    delegate().setTransactionIsolation(level);
    dirty |= DIRTY_ISOLATION;
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    if (session != null && session.isolation() >= 0) {
      return session.isolation();
    }
    return delegate().getTransactionIsolation();
  }

  // ---------------------------------------------------------------- session settings

  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
    if (transactionMode) {
      try {
        session().schema(schema);
      } catch (SQLException e) {
        throw failed(e);
      }
      return;
    }
    if ((dirty & DIRTY_SCHEMA) == 0) {
      originals().schema = delegate().getSchema();
    }
    delegate().setSchema(schema);
    dirty |= DIRTY_SCHEMA;
  }

  @Override
  public String getSchema() throws SQLException {
    checkOpen();
    if (session != null && !session.isEmpty()) {
      // pgjdbc's getSchema would ask outside the handle's transaction settings (and, autocommit off, open the
      // transaction without them); asking through a statement of this handle applies them, so the answer is what the
      // handle's own queries see.
      try (Statement statement = createStatement();
          ResultSet schema = statement.executeQuery("SELECT current_schema()")) {
        return schema.next() ? schema.getString(1) : null;
      }
    }
    return delegate().getSchema();
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    checkOpen();
    if ((dirty & DIRTY_NETWORK_TIMEOUT) == 0) {
      originals().networkTimeout = delegate().getNetworkTimeout();
    }
    delegate().setNetworkTimeout(executor, milliseconds);
    dirty |= DIRTY_NETWORK_TIMEOUT;
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    return delegate().getNetworkTimeout();
  }

  /**
   * In transaction mode client info is kept by the handle only: pgjdbc would send a session-level
   * {@code SET application_name}, which would leak to other clients of the pooler.
   */
  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    Properties info = new Properties();
    info.setProperty(name, value == null ? "" : value);
    setClientInfo(info);
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    if (state != OPEN) {
      throw new SQLClientInfoException("This connection is closed", SqlStates.CONNECTION_DOES_NOT_EXIST, null);
    }
    if (transactionMode) {
      session().clientInfo().putAll(properties);
      return;
    }
    try {
      captureClientInfo();
    } catch (SQLException e) {
      throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), null, e);
    }
    delegate().setClientInfo(properties);
    dirty |= DIRTY_CLIENT_INFO;
  }

  @Override
  public String getClientInfo(String name) throws SQLException {
    checkOpen();
    if (transactionMode) {
      return session == null ? null : session.clientInfo().getProperty(name);
    }
    return delegate().getClientInfo(name);
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    checkOpen();
    if (transactionMode) {
      Properties copy = new Properties();
      if (session != null) {
        copy.putAll(session.clientInfo());
      }
      return copy;
    }
    return delegate().getClientInfo();
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    checkOpen();
    if ((dirty & DIRTY_HOLDABILITY) == 0) {
      originals().holdability = delegate().getHoldability();
    }
    delegate().setHoldability(holdability);
    dirty |= DIRTY_HOLDABILITY;
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    return delegate().getHoldability();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    checkOpen();
    if ((dirty & DIRTY_TYPE_MAP) == 0) {
      originals().typeMap = new HashMap<>(delegate().getTypeMap());
    }
    delegate().setTypeMap(map);
    dirty |= DIRTY_TYPE_MAP;
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    checkOpen();
    return delegate().getTypeMap();
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    checkOpen();
    delegate().setCatalog(catalog);
  }

  @Override
  public String getCatalog() throws SQLException {
    checkOpen();
    return delegate().getCatalog();
  }

  // ---------------------------------------------------------------- statements

  @Override
  public Statement createStatement() throws SQLException {
    checkOpen();
    return new LogicalStatement(this, delegate().createStatement());
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
    checkOpen();
    return new LogicalStatement(this, delegate().createStatement(resultSetType, resultSetConcurrency));
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    checkOpen();
    return new LogicalStatement(this,
        delegate().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    checkOpen();
    return prepared(sql, delegate().prepareStatement(sqlToPrepare(sql)), 0, 0, 0);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    checkOpen();
    return new LogicalPreparedStatement(this, delegate().prepareStatement(sqlToPrepare(sql), autoGeneratedKeys), sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    checkOpen();
    return new LogicalPreparedStatement(this, delegate().prepareStatement(sqlToPrepare(sql), columnIndexes), sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    checkOpen();
    return new LogicalPreparedStatement(this, delegate().prepareStatement(sqlToPrepare(sql), columnNames), sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    checkOpen();
    return prepared(sql, delegate().prepareStatement(sqlToPrepare(sql), resultSetType, resultSetConcurrency),
        resultSetType, resultSetConcurrency, 0);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    checkOpen();
    return prepared(sql,
        delegate().prepareStatement(sqlToPrepare(sql), resultSetType, resultSetConcurrency, resultSetHoldability),
        resultSetType, resultSetConcurrency, resultSetHoldability);
  }

  /**
   * The logical statement over {@code prepared}; in transaction mode, with a twin that holds the statement with the
   * handle's settings in front when there are settings now ({@link LogicalPreparedStatement}). Preparing it sends
   * nothing: pgjdbc prepares on the server at execution. Zero type, concurrency and holdability mean pgjdbc's defaults.
   */
  private LogicalPreparedStatement prepared(String sql, PreparedStatement prepared, int type, int concurrency,
      int holdability) throws SQLException {
    String prologue = fusablePrologue(sql);
    if (prologue == null) {
      return new LogicalPreparedStatement(this, prepared, sql);
    }
    PreparedStatement withSettings;
    try {
      String fused = TransactionSettings.fused(prologue, sql);
      withSettings = type == 0 ? delegate().prepareStatement(fused)
          : holdability == 0 ? delegate().prepareStatement(fused, type, concurrency)
          : delegate().prepareStatement(fused, type, concurrency, holdability);
    } catch (SQLException | RuntimeException | Error e) {
      try {
        prepared.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return new LogicalPreparedStatement(this, prepared, sql, withSettings, prologue);
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    checkOpen();
    return new LogicalCallableStatement(this, delegate().prepareCall(sqlToPrepare(sql)), sql);
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    checkOpen();
    return new LogicalCallableStatement(this, delegate().prepareCall(sqlToPrepare(sql), resultSetType, resultSetConcurrency), sql);
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    checkOpen();
    return new LogicalCallableStatement(this,
        delegate().prepareCall(sqlToPrepare(sql), resultSetType, resultSetConcurrency, resultSetHoldability), sql);
  }

  @Override
  public String nativeSQL(String sql) throws SQLException {
    checkOpen();
    return delegate().nativeSQL(sql);
  }

  /** pgjdbc's metadata ("PostgreSQL", its URL), with {@code getConnection()} answering this handle. */
  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    checkOpen();
    DatabaseMetaData metaData = delegate().getMetaData();
    return LogicalMetaData.wrap(transactionMode ? session().metaData(metaData) : metaData, this);
  }

  // ---------------------------------------------------------------- plain delegation

  @Override
  public void beginRequest() throws SQLException {
    checkOpen();
    delegate().beginRequest();
  }

  @Override
  public void endRequest() throws SQLException {
    checkOpen();
    delegate().endRequest();
  }

  @Override
  public void setShardingKey(java.sql.ShardingKey shardingKey, java.sql.ShardingKey superShardingKey)
      throws SQLException {
    checkOpen();
    delegate().setShardingKey(shardingKey, superShardingKey);
  }

  @Override
  public void setShardingKey(java.sql.ShardingKey shardingKey) throws SQLException {
    checkOpen();
    delegate().setShardingKey(shardingKey);
  }

  @Override
  public boolean setShardingKeyIfValid(java.sql.ShardingKey shardingKey, java.sql.ShardingKey superShardingKey,
      int timeout) throws SQLException {
    checkOpen();
    return delegate().setShardingKeyIfValid(shardingKey, superShardingKey, timeout);
  }

  @Override
  public boolean setShardingKeyIfValid(java.sql.ShardingKey shardingKey, int timeout) throws SQLException {
    checkOpen();
    return delegate().setShardingKeyIfValid(shardingKey, timeout);
  }

  @Override
  public boolean isValid(int timeout) throws SQLException {
    return state == OPEN && delegate().isValid(timeout);
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return delegate().getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
    delegate().clearWarnings();
  }

  @Override
  public Clob createClob() throws SQLException {
    checkOpen();
    return delegate().createClob();
  }

  @Override
  public Blob createBlob() throws SQLException {
    checkOpen();
    return delegate().createBlob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    checkOpen();
    return delegate().createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    checkOpen();
    return delegate().createSQLXML();
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    checkOpen();
    return delegate().createArrayOf(typeName, elements);
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    checkOpen();
    return delegate().createStruct(typeName, attributes);
  }

  /**
   * Reaches pgjdbc: {@code unwrap(PGConnection.class)} gives the physical connection for {@code CopyManager},
   * {@code LISTEN}/{@code NOTIFY} and other pgjdbc extensions. Session state set through it is the caller's to
   * manage (in transaction mode it does not survive the transaction).
   */
  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    checkOpen();
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return delegate().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    checkOpen();
    return iface.isInstance(this) || delegate().isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "LogicalConnection[" + plan.mode().name().toLowerCase(java.util.Locale.ROOT) + ", " + pool.target()
        + (state != OPEN ? ", closed" : "") + "]";
  }
}
