package io.github.serverlesspg.logical;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Calendar;

/**
 * A {@link PreparedStatement} of a {@link LogicalConnection}. Its SQL is known up front, so the executions trace it
 * with {@code parameterized=true}; parameter setters go straight to pgjdbc and are never recorded anywhere.
 *
 * <p>In transaction mode, when the handle had settings to apply when the statement was prepared, a twin is prepared
 * beside it: the same statement with the settings in front, as literals ({@code SELECT set_config(...);statement}),
 * so its parameters are numbered exactly as the application's. Every parameter goes to both (pgjdbc checks them the
 * same way on both), except values that cannot be read twice (streams, readers, LOBs, XML), which leave the twin
 * incomplete until {@link #clearParameters()}. An autocommit execution with no transaction open and the same settings
 * as the twin's then runs on the twin, in one round trip, and skips the settings' result; any other runs here as
 * before. Metadata, batches and generated keys always use the application's own statement.
 */
class LogicalPreparedStatement extends LogicalStatement implements PreparedStatement {
  private final PreparedStatement prepared;
  final String sql;
  /** The twin, or null (always outside transaction mode, and whenever the handle had no settings): one field. */
  private final Twin twin;

  /** The statement with the settings in front, and what this statement knows about it. */
  private static final class Twin {
    final PreparedStatement statement;
    /** The settings it applies: {@link TransactionSettings#valuesSql()} when it was prepared. */
    final String prologue;
    /** A parameter was set that the twin does not hold (until clearParameters). */
    boolean incomplete;
    /** Whether the application sees the twin's results now (read by cancel() on another thread). */
    volatile boolean current;

    Twin(PreparedStatement statement, String prologue) {
      this.statement = statement;
      this.prologue = prologue;
    }
  }

  LogicalPreparedStatement(LogicalConnection connection, PreparedStatement prepared, String sql) {
    this(connection, prepared, sql, null, null);
  }

  LogicalPreparedStatement(LogicalConnection connection, PreparedStatement prepared, String sql,
      PreparedStatement withSettings, String prologue) {
    super(connection, prepared);
    this.prepared = prepared;
    this.sql = sql;
    this.twin = withSettings == null ? null : new Twin(withSettings, prologue);
  }

  /**
   * Starts an execution; {@link #fused()} says whether it runs on the twin: the twin holds every parameter and the
   * settings the handle would send now, and the session finds the execution may be sent with them.
   */
  private Object beginExecution() throws SQLException {
    boolean fusable = false;
    if (twin != null && !twin.incomplete && !closesOnCompletion) {
      String prologue = connection.fusablePrologue(sql);
      fusable = prologue == twin.prologue || twin.prologue.equals(prologue);
    }
    return begin(sql, true, 0, fusable);
  }

  /** Runs the twin and moves past the settings' result: whether the statement returned a result set. */
  private boolean executeTwin() throws SQLException {
    runOn(true);
    twin.statement.execute();
    return twin.statement.getMoreResults();
  }

  /**
   * Makes the twin's results, or this statement's, the ones the application sees, closing the open result set of the
   * other, as an execution closes its statement's current result set.
   */
  private void runOn(boolean onTwin) throws SQLException {
    if (twin != null && twin.current != onTwin) {
      ResultSet open = results().getResultSet();
      twin.current = onTwin;
      if (open != null) {
        open.close();
      }
    }
  }

  @Override
  Statement results() {
    return twin != null && twin.current ? twin.statement : prepared;
  }

  @Override
  void runOnDelegate() throws SQLException {
    runOn(false);
  }

  private void twinIncomplete() {
    if (twin != null) {
      twin.incomplete = true;
    }
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    Object token = beginExecution();
    ResultSet result;
    try {
      if (fused()) {
        checkResultSet(executeTwin());
        result = twin.statement.getResultSet();
      } else {
        runOn(false);
        result = prepared.executeQuery();
      }
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return LogicalResultSet.wrap(this, result);
  }

  @Override
  public int executeUpdate() throws SQLException {
    Object token = beginExecution();
    int result;
    try {
      if (fused()) {
        checkNoResultSet(executeTwin());
        result = twin.statement.getUpdateCount();
      } else {
        runOn(false);
        result = prepared.executeUpdate();
      }
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    Object token = beginExecution();
    long result;
    try {
      if (fused()) {
        checkNoResultSet(executeTwin());
        result = twin.statement.getLargeUpdateCount();
      } else {
        runOn(false);
        result = prepared.executeLargeUpdate();
      }
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public boolean execute() throws SQLException {
    Object token = beginExecution();
    boolean result;
    try {
      if (fused()) {
        result = executeTwin();
      } else {
        runOn(false);
        result = prepared.execute();
      }
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public void addBatch() throws SQLException {
    countBatchEntry(sql);
    prepared.addBatch();
  }

  // ---------------------------------------------------------------- the twin gets what changes how a statement runs

  @Override
  void closeDelegates() throws SQLException {
    try {
      super.closeDelegates();
    } finally {
      if (twin != null) {
        twin.statement.close();
      }
    }
  }

  @Override
  public void setMaxRows(int max) throws SQLException {
    super.setMaxRows(max);
    if (twin != null) {
      twin.statement.setMaxRows(max);
    }
  }

  @Override
  public void setLargeMaxRows(long max) throws SQLException {
    super.setLargeMaxRows(max);
    if (twin != null) {
      twin.statement.setLargeMaxRows(max);
    }
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    super.setFetchSize(rows);
    if (twin != null) {
      twin.statement.setFetchSize(rows);
    }
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    super.setFetchDirection(direction);
    if (twin != null) {
      twin.statement.setFetchDirection(direction);
    }
  }

  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    super.setQueryTimeout(seconds);
    if (twin != null) {
      twin.statement.setQueryTimeout(seconds);
    }
  }

  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    super.setMaxFieldSize(max);
    if (twin != null) {
      twin.statement.setMaxFieldSize(max);
    }
  }

  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    super.setEscapeProcessing(enable);
    if (twin != null) {
      twin.statement.setEscapeProcessing(enable);
    }
  }

  // ---------------------------------------------------------------- plain delegation

  @Override
  public void clearParameters() throws SQLException {
    prepared.clearParameters();
    if (twin != null) {
      twin.statement.clearParameters();
      twin.incomplete = false;
    }
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return connection.describe(prepared, prepared::getMetaData);
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return connection.describe(prepared, prepared::getParameterMetaData);
  }

  @Override
  public void setArray(int parameterIndex, Array x) throws SQLException {
    prepared.setArray(parameterIndex, x);
    if (twin != null) {
      twin.statement.setArray(parameterIndex, x);
    }
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream stream, int length) throws SQLException {
    prepared.setAsciiStream(parameterIndex, stream, length);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream stream, long length) throws SQLException {
    prepared.setAsciiStream(parameterIndex, stream, length);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream stream) throws SQLException {
    prepared.setAsciiStream(parameterIndex, stream);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
    prepared.setBigDecimal(parameterIndex, x);
    if (twin != null) {
      twin.statement.setBigDecimal(parameterIndex, x);
    }
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream stream, int length) throws SQLException {
    prepared.setBinaryStream(parameterIndex, stream, length);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream stream, long length) throws SQLException {
    prepared.setBinaryStream(parameterIndex, stream, length);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream stream) throws SQLException {
    prepared.setBinaryStream(parameterIndex, stream);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setBlob(int parameterIndex, InputStream stream, long length) throws SQLException {
    prepared.setBlob(parameterIndex, stream, length);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setBlob(int parameterIndex, InputStream stream) throws SQLException {
    prepared.setBlob(parameterIndex, stream);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setBlob(int parameterIndex, Blob x) throws SQLException {
    prepared.setBlob(parameterIndex, x);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setBoolean(int parameterIndex, boolean x) throws SQLException {
    prepared.setBoolean(parameterIndex, x);
    if (twin != null) {
      twin.statement.setBoolean(parameterIndex, x);
    }
  }

  @Override
  public void setByte(int parameterIndex, byte x) throws SQLException {
    prepared.setByte(parameterIndex, x);
    if (twin != null) {
      twin.statement.setByte(parameterIndex, x);
    }
  }

  @Override
  public void setBytes(int parameterIndex, byte[] x) throws SQLException {
    prepared.setBytes(parameterIndex, x);
    if (twin != null) {
      twin.statement.setBytes(parameterIndex, x);
    }
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
    prepared.setCharacterStream(parameterIndex, reader, length);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
    prepared.setCharacterStream(parameterIndex, reader, length);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
    prepared.setCharacterStream(parameterIndex, reader);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
    prepared.setClob(parameterIndex, reader, length);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setClob(int parameterIndex, Reader reader) throws SQLException {
    prepared.setClob(parameterIndex, reader);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setClob(int parameterIndex, Clob x) throws SQLException {
    prepared.setClob(parameterIndex, x);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setDate(int parameterIndex, Date x, Calendar calendar) throws SQLException {
    prepared.setDate(parameterIndex, x, calendar);
    if (twin != null) {
      twin.statement.setDate(parameterIndex, x, calendar);
    }
  }

  @Override
  public void setDate(int parameterIndex, Date x) throws SQLException {
    prepared.setDate(parameterIndex, x);
    if (twin != null) {
      twin.statement.setDate(parameterIndex, x);
    }
  }

  @Override
  public void setDouble(int parameterIndex, double x) throws SQLException {
    prepared.setDouble(parameterIndex, x);
    if (twin != null) {
      twin.statement.setDouble(parameterIndex, x);
    }
  }

  @Override
  public void setFloat(int parameterIndex, float x) throws SQLException {
    prepared.setFloat(parameterIndex, x);
    if (twin != null) {
      twin.statement.setFloat(parameterIndex, x);
    }
  }

  @Override
  public void setInt(int parameterIndex, int x) throws SQLException {
    prepared.setInt(parameterIndex, x);
    if (twin != null) {
      twin.statement.setInt(parameterIndex, x);
    }
  }

  @Override
  public void setLong(int parameterIndex, long x) throws SQLException {
    prepared.setLong(parameterIndex, x);
    if (twin != null) {
      twin.statement.setLong(parameterIndex, x);
    }
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
    prepared.setNCharacterStream(parameterIndex, reader, length);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader reader) throws SQLException {
    prepared.setNCharacterStream(parameterIndex, reader);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
    prepared.setNClob(parameterIndex, reader, length);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader) throws SQLException {
    prepared.setNClob(parameterIndex, reader);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setNClob(int parameterIndex, NClob x) throws SQLException {
    prepared.setNClob(parameterIndex, x);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setNString(int parameterIndex, String x) throws SQLException {
    prepared.setNString(parameterIndex, x);
    if (twin != null) {
      twin.statement.setNString(parameterIndex, x);
    }
  }

  @Override
  public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
    prepared.setNull(parameterIndex, sqlType, typeName);
    if (twin != null) {
      twin.statement.setNull(parameterIndex, sqlType, typeName);
    }
  }

  @Override
  public void setNull(int parameterIndex, int sqlType) throws SQLException {
    prepared.setNull(parameterIndex, sqlType);
    if (twin != null) {
      twin.statement.setNull(parameterIndex, sqlType);
    }
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    prepared.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
    if (twinCanTake(x, targetSqlType)) {
      twin.statement.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
    }
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
    prepared.setObject(parameterIndex, x, targetSqlType);
    if (twinCanTake(x, targetSqlType)) {
      twin.statement.setObject(parameterIndex, x, targetSqlType);
    }
  }

  @Override
  public void setObject(int parameterIndex, Object x) throws SQLException {
    prepared.setObject(parameterIndex, x);
    if (twinCanTake(x, Types.OTHER)) {
      twin.statement.setObject(parameterIndex, x);
    }
  }

  /**
   * Whether {@code x} can be given to the twin as well: not a value read once (a stream, a reader, a LOB, XML), nor
   * one pgjdbc turns into a large object (a LOB type), which would create two. Marks the twin incomplete otherwise.
   */
  private boolean twinCanTake(Object x, int targetSqlType) {
    if (twin == null) {
      return false;
    }
    boolean once = x instanceof InputStream || x instanceof Reader || x instanceof Blob || x instanceof Clob
        || x instanceof SQLXML || targetSqlType == Types.BLOB || targetSqlType == Types.CLOB
        || targetSqlType == Types.NCLOB || targetSqlType == Types.SQLXML;
    if (once) {
      twin.incomplete = true;
    }
    return !once;
  }

  private boolean twinCanTake(Object x, SQLType targetSqlType) {
    Integer type = targetSqlType == null ? null : targetSqlType.getVendorTypeNumber();
    if (type == null) {
      twinIncomplete();
      return false;
    }
    return twinCanTake(x, type);
  }

  @Override
  public void setRef(int parameterIndex, Ref x) throws SQLException {
    prepared.setRef(parameterIndex, x);
    if (twin != null) {
      twin.statement.setRef(parameterIndex, x);
    }
  }

  @Override
  public void setRowId(int parameterIndex, RowId x) throws SQLException {
    prepared.setRowId(parameterIndex, x);
    if (twin != null) {
      twin.statement.setRowId(parameterIndex, x);
    }
  }

  @Override
  public void setSQLXML(int parameterIndex, SQLXML x) throws SQLException {
    prepared.setSQLXML(parameterIndex, x);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setShort(int parameterIndex, short x) throws SQLException {
    prepared.setShort(parameterIndex, x);
    if (twin != null) {
      twin.statement.setShort(parameterIndex, x);
    }
  }

  @Override
  public void setString(int parameterIndex, String x) throws SQLException {
    prepared.setString(parameterIndex, x);
    if (twin != null) {
      twin.statement.setString(parameterIndex, x);
    }
  }

  @Override
  public void setTime(int parameterIndex, Time x, Calendar calendar) throws SQLException {
    prepared.setTime(parameterIndex, x, calendar);
    if (twin != null) {
      twin.statement.setTime(parameterIndex, x, calendar);
    }
  }

  @Override
  public void setTime(int parameterIndex, Time x) throws SQLException {
    prepared.setTime(parameterIndex, x);
    if (twin != null) {
      twin.statement.setTime(parameterIndex, x);
    }
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x, Calendar calendar) throws SQLException {
    prepared.setTimestamp(parameterIndex, x, calendar);
    if (twin != null) {
      twin.statement.setTimestamp(parameterIndex, x, calendar);
    }
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
    prepared.setTimestamp(parameterIndex, x);
    if (twin != null) {
      twin.statement.setTimestamp(parameterIndex, x);
    }
  }

  @Override
  public void setURL(int parameterIndex, URL x) throws SQLException {
    prepared.setURL(parameterIndex, x);
    if (twin != null) {
      twin.statement.setURL(parameterIndex, x);
    }
  }

  @Deprecated
  @Override
  public void setUnicodeStream(int parameterIndex, InputStream stream, int length) throws SQLException {
    prepared.setUnicodeStream(parameterIndex, stream, length);
    twinIncomplete(); // read once: the twin cannot get it too
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
    prepared.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
    if (twinCanTake(x, targetSqlType)) {
      twin.statement.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
    }
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
    prepared.setObject(parameterIndex, x, targetSqlType);
    if (twinCanTake(x, targetSqlType)) {
      twin.statement.setObject(parameterIndex, x, targetSqlType);
    }
  }
}
