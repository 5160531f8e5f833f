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
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * A {@link PreparedStatement} of a {@link LogicalConnection}. Its SQL is known up front, so the executions trace it
 * with {@code parameterized=true}; parameter setters go straight to pgjdbc and are never recorded anywhere.
 */
class LogicalPreparedStatement extends LogicalStatement implements PreparedStatement {
  private final PreparedStatement prepared;
  final String sql;

  LogicalPreparedStatement(LogicalConnection connection, PreparedStatement prepared, String sql) {
    super(connection, prepared);
    this.prepared = prepared;
    this.sql = sql;
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    Object token = begin(sql, true, 0);
    ResultSet result;
    try {
      result = prepared.executeQuery();
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return LogicalResultSet.wrap(this, result);
  }

  @Override
  public int executeUpdate() throws SQLException {
    Object token = begin(sql, true, 0);
    int result;
    try {
      result = prepared.executeUpdate();
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    Object token = begin(sql, true, 0);
    long result;
    try {
      result = prepared.executeLargeUpdate();
    } catch (Throwable e) {
      throw failed(token, e);
    }
    succeeded(token);
    return result;
  }

  @Override
  public boolean execute() throws SQLException {
    Object token = begin(sql, true, 0);
    boolean result;
    try {
      result = prepared.execute();
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

  // ---------------------------------------------------------------- plain delegation

  @Override
  public void clearParameters() throws SQLException {
    prepared.clearParameters();
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return prepared.getMetaData();
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return prepared.getParameterMetaData();
  }

  @Override
  public void setArray(int parameterIndex, Array x) throws SQLException {
    prepared.setArray(parameterIndex, x);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream stream, int length) throws SQLException {
    prepared.setAsciiStream(parameterIndex, stream, length);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream stream, long length) throws SQLException {
    prepared.setAsciiStream(parameterIndex, stream, length);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream stream) throws SQLException {
    prepared.setAsciiStream(parameterIndex, stream);
  }

  @Override
  public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
    prepared.setBigDecimal(parameterIndex, x);
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream stream, int length) throws SQLException {
    prepared.setBinaryStream(parameterIndex, stream, length);
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream stream, long length) throws SQLException {
    prepared.setBinaryStream(parameterIndex, stream, length);
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream stream) throws SQLException {
    prepared.setBinaryStream(parameterIndex, stream);
  }

  @Override
  public void setBlob(int parameterIndex, InputStream stream, long length) throws SQLException {
    prepared.setBlob(parameterIndex, stream, length);
  }

  @Override
  public void setBlob(int parameterIndex, InputStream stream) throws SQLException {
    prepared.setBlob(parameterIndex, stream);
  }

  @Override
  public void setBlob(int parameterIndex, Blob x) throws SQLException {
    prepared.setBlob(parameterIndex, x);
  }

  @Override
  public void setBoolean(int parameterIndex, boolean x) throws SQLException {
    prepared.setBoolean(parameterIndex, x);
  }

  @Override
  public void setByte(int parameterIndex, byte x) throws SQLException {
    prepared.setByte(parameterIndex, x);
  }

  @Override
  public void setBytes(int parameterIndex, byte[] x) throws SQLException {
    prepared.setBytes(parameterIndex, x);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
    prepared.setCharacterStream(parameterIndex, reader, length);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
    prepared.setCharacterStream(parameterIndex, reader, length);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
    prepared.setCharacterStream(parameterIndex, reader);
  }

  @Override
  public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
    prepared.setClob(parameterIndex, reader, length);
  }

  @Override
  public void setClob(int parameterIndex, Reader reader) throws SQLException {
    prepared.setClob(parameterIndex, reader);
  }

  @Override
  public void setClob(int parameterIndex, Clob x) throws SQLException {
    prepared.setClob(parameterIndex, x);
  }

  @Override
  public void setDate(int parameterIndex, Date x, Calendar calendar) throws SQLException {
    prepared.setDate(parameterIndex, x, calendar);
  }

  @Override
  public void setDate(int parameterIndex, Date x) throws SQLException {
    prepared.setDate(parameterIndex, x);
  }

  @Override
  public void setDouble(int parameterIndex, double x) throws SQLException {
    prepared.setDouble(parameterIndex, x);
  }

  @Override
  public void setFloat(int parameterIndex, float x) throws SQLException {
    prepared.setFloat(parameterIndex, x);
  }

  @Override
  public void setInt(int parameterIndex, int x) throws SQLException {
    prepared.setInt(parameterIndex, x);
  }

  @Override
  public void setLong(int parameterIndex, long x) throws SQLException {
    prepared.setLong(parameterIndex, x);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
    prepared.setNCharacterStream(parameterIndex, reader, length);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader reader) throws SQLException {
    prepared.setNCharacterStream(parameterIndex, reader);
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
    prepared.setNClob(parameterIndex, reader, length);
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader) throws SQLException {
    prepared.setNClob(parameterIndex, reader);
  }

  @Override
  public void setNClob(int parameterIndex, NClob x) throws SQLException {
    prepared.setNClob(parameterIndex, x);
  }

  @Override
  public void setNString(int parameterIndex, String x) throws SQLException {
    prepared.setNString(parameterIndex, x);
  }

  @Override
  public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
    prepared.setNull(parameterIndex, sqlType, typeName);
  }

  @Override
  public void setNull(int parameterIndex, int sqlType) throws SQLException {
    prepared.setNull(parameterIndex, sqlType);
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    prepared.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
    prepared.setObject(parameterIndex, x, targetSqlType);
  }

  @Override
  public void setObject(int parameterIndex, Object x) throws SQLException {
    prepared.setObject(parameterIndex, x);
  }

  @Override
  public void setRef(int parameterIndex, Ref x) throws SQLException {
    prepared.setRef(parameterIndex, x);
  }

  @Override
  public void setRowId(int parameterIndex, RowId x) throws SQLException {
    prepared.setRowId(parameterIndex, x);
  }

  @Override
  public void setSQLXML(int parameterIndex, SQLXML x) throws SQLException {
    prepared.setSQLXML(parameterIndex, x);
  }

  @Override
  public void setShort(int parameterIndex, short x) throws SQLException {
    prepared.setShort(parameterIndex, x);
  }

  @Override
  public void setString(int parameterIndex, String x) throws SQLException {
    prepared.setString(parameterIndex, x);
  }

  @Override
  public void setTime(int parameterIndex, Time x, Calendar calendar) throws SQLException {
    prepared.setTime(parameterIndex, x, calendar);
  }

  @Override
  public void setTime(int parameterIndex, Time x) throws SQLException {
    prepared.setTime(parameterIndex, x);
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x, Calendar calendar) throws SQLException {
    prepared.setTimestamp(parameterIndex, x, calendar);
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
    prepared.setTimestamp(parameterIndex, x);
  }

  @Override
  public void setURL(int parameterIndex, URL x) throws SQLException {
    prepared.setURL(parameterIndex, x);
  }

  @Deprecated
  @Override
  public void setUnicodeStream(int parameterIndex, InputStream stream, int length) throws SQLException {
    prepared.setUnicodeStream(parameterIndex, stream, length);
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
    prepared.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
    prepared.setObject(parameterIndex, x, targetSqlType);
  }
}
