package io.github.serverlesspg.logical;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/** A {@link CallableStatement} of a {@link LogicalConnection}: executions as a prepared statement, the rest plain. */
final class LogicalCallableStatement extends LogicalPreparedStatement implements CallableStatement {
  private final CallableStatement callable;

  LogicalCallableStatement(LogicalConnection connection, CallableStatement callable, String sql) {
    super(connection, callable, sql);
    this.callable = callable;
  }

  @Override
  public Array getArray(String parameterName) throws SQLException {
    return callable.getArray(parameterName);
  }

  @Override
  public Array getArray(int parameterIndex) throws SQLException {
    return callable.getArray(parameterIndex);
  }

  @Override
  public BigDecimal getBigDecimal(String parameterName) throws SQLException {
    return callable.getBigDecimal(parameterName);
  }

  @Deprecated
  @Override
  public BigDecimal getBigDecimal(int parameterIndex, int x) throws SQLException {
    return callable.getBigDecimal(parameterIndex, x);
  }

  @Override
  public BigDecimal getBigDecimal(int parameterIndex) throws SQLException {
    return callable.getBigDecimal(parameterIndex);
  }

  @Override
  public Blob getBlob(String parameterName) throws SQLException {
    return callable.getBlob(parameterName);
  }

  @Override
  public Blob getBlob(int parameterIndex) throws SQLException {
    return callable.getBlob(parameterIndex);
  }

  @Override
  public boolean getBoolean(String parameterName) throws SQLException {
    return callable.getBoolean(parameterName);
  }

  @Override
  public boolean getBoolean(int parameterIndex) throws SQLException {
    return callable.getBoolean(parameterIndex);
  }

  @Override
  public byte getByte(String parameterName) throws SQLException {
    return callable.getByte(parameterName);
  }

  @Override
  public byte getByte(int parameterIndex) throws SQLException {
    return callable.getByte(parameterIndex);
  }

  @Override
  public byte[] getBytes(String parameterName) throws SQLException {
    return callable.getBytes(parameterName);
  }

  @Override
  public byte[] getBytes(int parameterIndex) throws SQLException {
    return callable.getBytes(parameterIndex);
  }

  @Override
  public Reader getCharacterStream(String parameterName) throws SQLException {
    return callable.getCharacterStream(parameterName);
  }

  @Override
  public Reader getCharacterStream(int parameterIndex) throws SQLException {
    return callable.getCharacterStream(parameterIndex);
  }

  @Override
  public Clob getClob(String parameterName) throws SQLException {
    return callable.getClob(parameterName);
  }

  @Override
  public Clob getClob(int parameterIndex) throws SQLException {
    return callable.getClob(parameterIndex);
  }

  @Override
  public Date getDate(String parameterName, Calendar calendar) throws SQLException {
    return callable.getDate(parameterName, calendar);
  }

  @Override
  public Date getDate(String parameterName) throws SQLException {
    return callable.getDate(parameterName);
  }

  @Override
  public Date getDate(int parameterIndex, Calendar calendar) throws SQLException {
    return callable.getDate(parameterIndex, calendar);
  }

  @Override
  public Date getDate(int parameterIndex) throws SQLException {
    return callable.getDate(parameterIndex);
  }

  @Override
  public double getDouble(String parameterName) throws SQLException {
    return callable.getDouble(parameterName);
  }

  @Override
  public double getDouble(int parameterIndex) throws SQLException {
    return callable.getDouble(parameterIndex);
  }

  @Override
  public float getFloat(String parameterName) throws SQLException {
    return callable.getFloat(parameterName);
  }

  @Override
  public float getFloat(int parameterIndex) throws SQLException {
    return callable.getFloat(parameterIndex);
  }

  @Override
  public int getInt(String parameterName) throws SQLException {
    return callable.getInt(parameterName);
  }

  @Override
  public int getInt(int parameterIndex) throws SQLException {
    return callable.getInt(parameterIndex);
  }

  @Override
  public long getLong(String parameterName) throws SQLException {
    return callable.getLong(parameterName);
  }

  @Override
  public long getLong(int parameterIndex) throws SQLException {
    return callable.getLong(parameterIndex);
  }

  @Override
  public Reader getNCharacterStream(String parameterName) throws SQLException {
    return callable.getNCharacterStream(parameterName);
  }

  @Override
  public Reader getNCharacterStream(int parameterIndex) throws SQLException {
    return callable.getNCharacterStream(parameterIndex);
  }

  @Override
  public NClob getNClob(String parameterName) throws SQLException {
    return callable.getNClob(parameterName);
  }

  @Override
  public NClob getNClob(int parameterIndex) throws SQLException {
    return callable.getNClob(parameterIndex);
  }

  @Override
  public String getNString(String parameterName) throws SQLException {
    return callable.getNString(parameterName);
  }

  @Override
  public String getNString(int parameterIndex) throws SQLException {
    return callable.getNString(parameterIndex);
  }

  @Override
  public <T> T getObject(String parameterName, Class<T> type) throws SQLException {
    return callable.getObject(parameterName, type);
  }

  @Override
  public Object getObject(String parameterName, Map<String, Class<?>> map) throws SQLException {
    return callable.getObject(parameterName, map);
  }

  @Override
  public Object getObject(String parameterName) throws SQLException {
    return callable.getObject(parameterName);
  }

  @Override
  public <T> T getObject(int parameterIndex, Class<T> type) throws SQLException {
    return callable.getObject(parameterIndex, type);
  }

  @Override
  public Object getObject(int parameterIndex, Map<String, Class<?>> map) throws SQLException {
    return callable.getObject(parameterIndex, map);
  }

  @Override
  public Object getObject(int parameterIndex) throws SQLException {
    return callable.getObject(parameterIndex);
  }

  @Override
  public Ref getRef(String parameterName) throws SQLException {
    return callable.getRef(parameterName);
  }

  @Override
  public Ref getRef(int parameterIndex) throws SQLException {
    return callable.getRef(parameterIndex);
  }

  @Override
  public RowId getRowId(String parameterName) throws SQLException {
    return callable.getRowId(parameterName);
  }

  @Override
  public RowId getRowId(int parameterIndex) throws SQLException {
    return callable.getRowId(parameterIndex);
  }

  @Override
  public SQLXML getSQLXML(String parameterName) throws SQLException {
    return callable.getSQLXML(parameterName);
  }

  @Override
  public SQLXML getSQLXML(int parameterIndex) throws SQLException {
    return callable.getSQLXML(parameterIndex);
  }

  @Override
  public short getShort(String parameterName) throws SQLException {
    return callable.getShort(parameterName);
  }

  @Override
  public short getShort(int parameterIndex) throws SQLException {
    return callable.getShort(parameterIndex);
  }

  @Override
  public String getString(String parameterName) throws SQLException {
    return callable.getString(parameterName);
  }

  @Override
  public String getString(int parameterIndex) throws SQLException {
    return callable.getString(parameterIndex);
  }

  @Override
  public Time getTime(String parameterName, Calendar calendar) throws SQLException {
    return callable.getTime(parameterName, calendar);
  }

  @Override
  public Time getTime(String parameterName) throws SQLException {
    return callable.getTime(parameterName);
  }

  @Override
  public Time getTime(int parameterIndex, Calendar calendar) throws SQLException {
    return callable.getTime(parameterIndex, calendar);
  }

  @Override
  public Time getTime(int parameterIndex) throws SQLException {
    return callable.getTime(parameterIndex);
  }

  @Override
  public Timestamp getTimestamp(String parameterName, Calendar calendar) throws SQLException {
    return callable.getTimestamp(parameterName, calendar);
  }

  @Override
  public Timestamp getTimestamp(String parameterName) throws SQLException {
    return callable.getTimestamp(parameterName);
  }

  @Override
  public Timestamp getTimestamp(int parameterIndex, Calendar calendar) throws SQLException {
    return callable.getTimestamp(parameterIndex, calendar);
  }

  @Override
  public Timestamp getTimestamp(int parameterIndex) throws SQLException {
    return callable.getTimestamp(parameterIndex);
  }

  @Override
  public URL getURL(String parameterName) throws SQLException {
    return callable.getURL(parameterName);
  }

  @Override
  public URL getURL(int parameterIndex) throws SQLException {
    return callable.getURL(parameterIndex);
  }

  @Override
  public void registerOutParameter(String parameterName, int sqlType, String typeName) throws SQLException {
    callable.registerOutParameter(parameterName, sqlType, typeName);
  }

  @Override
  public void registerOutParameter(String parameterName, int sqlType, int scale) throws SQLException {
    callable.registerOutParameter(parameterName, sqlType, scale);
  }

  @Override
  public void registerOutParameter(String parameterName, int sqlType) throws SQLException {
    callable.registerOutParameter(parameterName, sqlType);
  }

  @Override
  public void registerOutParameter(int parameterIndex, int sqlType, String typeName) throws SQLException {
    callable.registerOutParameter(parameterIndex, sqlType, typeName);
  }

  @Override
  public void registerOutParameter(int parameterIndex, int sqlType, int scale) throws SQLException {
    callable.registerOutParameter(parameterIndex, sqlType, scale);
  }

  @Override
  public void registerOutParameter(int parameterIndex, int sqlType) throws SQLException {
    callable.registerOutParameter(parameterIndex, sqlType);
  }

  @Override
  public void setAsciiStream(String parameterName, InputStream stream, int length) throws SQLException {
    callable.setAsciiStream(parameterName, stream, length);
  }

  @Override
  public void setAsciiStream(String parameterName, InputStream stream, long length) throws SQLException {
    callable.setAsciiStream(parameterName, stream, length);
  }

  @Override
  public void setAsciiStream(String parameterName, InputStream stream) throws SQLException {
    callable.setAsciiStream(parameterName, stream);
  }

  @Override
  public void setBigDecimal(String parameterName, BigDecimal x) throws SQLException {
    callable.setBigDecimal(parameterName, x);
  }

  @Override
  public void setBinaryStream(String parameterName, InputStream stream, int length) throws SQLException {
    callable.setBinaryStream(parameterName, stream, length);
  }

  @Override
  public void setBinaryStream(String parameterName, InputStream stream, long length) throws SQLException {
    callable.setBinaryStream(parameterName, stream, length);
  }

  @Override
  public void setBinaryStream(String parameterName, InputStream stream) throws SQLException {
    callable.setBinaryStream(parameterName, stream);
  }

  @Override
  public void setBlob(String parameterName, InputStream stream, long length) throws SQLException {
    callable.setBlob(parameterName, stream, length);
  }

  @Override
  public void setBlob(String parameterName, InputStream stream) throws SQLException {
    callable.setBlob(parameterName, stream);
  }

  @Override
  public void setBlob(String parameterName, Blob x) throws SQLException {
    callable.setBlob(parameterName, x);
  }

  @Override
  public void setBoolean(String parameterName, boolean x) throws SQLException {
    callable.setBoolean(parameterName, x);
  }

  @Override
  public void setByte(String parameterName, byte x) throws SQLException {
    callable.setByte(parameterName, x);
  }

  @Override
  public void setBytes(String parameterName, byte[] x) throws SQLException {
    callable.setBytes(parameterName, x);
  }

  @Override
  public void setCharacterStream(String parameterName, Reader reader, int length) throws SQLException {
    callable.setCharacterStream(parameterName, reader, length);
  }

  @Override
  public void setCharacterStream(String parameterName, Reader reader, long length) throws SQLException {
    callable.setCharacterStream(parameterName, reader, length);
  }

  @Override
  public void setCharacterStream(String parameterName, Reader reader) throws SQLException {
    callable.setCharacterStream(parameterName, reader);
  }

  @Override
  public void setClob(String parameterName, Reader reader, long length) throws SQLException {
    callable.setClob(parameterName, reader, length);
  }

  @Override
  public void setClob(String parameterName, Reader reader) throws SQLException {
    callable.setClob(parameterName, reader);
  }

  @Override
  public void setClob(String parameterName, Clob x) throws SQLException {
    callable.setClob(parameterName, x);
  }

  @Override
  public void setDate(String parameterName, Date x, Calendar calendar) throws SQLException {
    callable.setDate(parameterName, x, calendar);
  }

  @Override
  public void setDate(String parameterName, Date x) throws SQLException {
    callable.setDate(parameterName, x);
  }

  @Override
  public void setDouble(String parameterName, double x) throws SQLException {
    callable.setDouble(parameterName, x);
  }

  @Override
  public void setFloat(String parameterName, float x) throws SQLException {
    callable.setFloat(parameterName, x);
  }

  @Override
  public void setInt(String parameterName, int x) throws SQLException {
    callable.setInt(parameterName, x);
  }

  @Override
  public void setLong(String parameterName, long x) throws SQLException {
    callable.setLong(parameterName, x);
  }

  @Override
  public void setNCharacterStream(String parameterName, Reader reader, long length) throws SQLException {
    callable.setNCharacterStream(parameterName, reader, length);
  }

  @Override
  public void setNCharacterStream(String parameterName, Reader reader) throws SQLException {
    callable.setNCharacterStream(parameterName, reader);
  }

  @Override
  public void setNClob(String parameterName, Reader reader, long length) throws SQLException {
    callable.setNClob(parameterName, reader, length);
  }

  @Override
  public void setNClob(String parameterName, Reader reader) throws SQLException {
    callable.setNClob(parameterName, reader);
  }

  @Override
  public void setNClob(String parameterName, NClob x) throws SQLException {
    callable.setNClob(parameterName, x);
  }

  @Override
  public void setNString(String parameterName, String x) throws SQLException {
    callable.setNString(parameterName, x);
  }

  @Override
  public void setNull(String parameterName, int sqlType, String typeName) throws SQLException {
    callable.setNull(parameterName, sqlType, typeName);
  }

  @Override
  public void setNull(String parameterName, int sqlType) throws SQLException {
    callable.setNull(parameterName, sqlType);
  }

  @Override
  public void setObject(String parameterName, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    callable.setObject(parameterName, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void setObject(String parameterName, Object x, int targetSqlType) throws SQLException {
    callable.setObject(parameterName, x, targetSqlType);
  }

  @Override
  public void setObject(String parameterName, Object x) throws SQLException {
    callable.setObject(parameterName, x);
  }

  @Override
  public void setRowId(String parameterName, RowId x) throws SQLException {
    callable.setRowId(parameterName, x);
  }

  @Override
  public void setSQLXML(String parameterName, SQLXML x) throws SQLException {
    callable.setSQLXML(parameterName, x);
  }

  @Override
  public void setShort(String parameterName, short x) throws SQLException {
    callable.setShort(parameterName, x);
  }

  @Override
  public void setString(String parameterName, String x) throws SQLException {
    callable.setString(parameterName, x);
  }

  @Override
  public void setTime(String parameterName, Time x, Calendar calendar) throws SQLException {
    callable.setTime(parameterName, x, calendar);
  }

  @Override
  public void setTime(String parameterName, Time x) throws SQLException {
    callable.setTime(parameterName, x);
  }

  @Override
  public void setTimestamp(String parameterName, Timestamp x, Calendar calendar) throws SQLException {
    callable.setTimestamp(parameterName, x, calendar);
  }

  @Override
  public void setTimestamp(String parameterName, Timestamp x) throws SQLException {
    callable.setTimestamp(parameterName, x);
  }

  @Override
  public void setURL(String parameterName, URL x) throws SQLException {
    callable.setURL(parameterName, x);
  }

  @Override
  public boolean wasNull() throws SQLException {
    return callable.wasNull();
  }

  @Override
  public void registerOutParameter(String parameterName, SQLType targetSqlType, String typeName) throws SQLException {
    callable.registerOutParameter(parameterName, targetSqlType, typeName);
  }

  @Override
  public void registerOutParameter(String parameterName, SQLType targetSqlType, int length) throws SQLException {
    callable.registerOutParameter(parameterName, targetSqlType, length);
  }

  @Override
  public void registerOutParameter(String parameterName, SQLType targetSqlType) throws SQLException {
    callable.registerOutParameter(parameterName, targetSqlType);
  }

  @Override
  public void registerOutParameter(int parameterIndex, SQLType targetSqlType, String typeName) throws SQLException {
    callable.registerOutParameter(parameterIndex, targetSqlType, typeName);
  }

  @Override
  public void registerOutParameter(int parameterIndex, SQLType targetSqlType, int length) throws SQLException {
    callable.registerOutParameter(parameterIndex, targetSqlType, length);
  }

  @Override
  public void registerOutParameter(int parameterIndex, SQLType targetSqlType) throws SQLException {
    callable.registerOutParameter(parameterIndex, targetSqlType);
  }

  @Override
  public void setObject(String parameterName, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
    callable.setObject(parameterName, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void setObject(String parameterName, Object x, SQLType targetSqlType) throws SQLException {
    callable.setObject(parameterName, x, targetSqlType);
  }
}
