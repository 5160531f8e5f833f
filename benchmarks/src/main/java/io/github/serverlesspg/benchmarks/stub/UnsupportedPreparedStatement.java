package io.github.serverlesspg.benchmarks.stub;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/** A {@link PreparedStatement} whose every method is unsupported; stubs override the few a benchmark calls. */
abstract class UnsupportedPreparedStatement implements PreparedStatement {

  @Override
  public void addBatch() throws SQLException {
    throw Unsupported.method("addBatch");
  }

  @Override
  public void addBatch(String p0) throws SQLException {
    throw Unsupported.method("addBatch");
  }

  @Override
  public void cancel() throws SQLException {
    throw Unsupported.method("cancel");
  }

  @Override
  public void clearBatch() throws SQLException {
    throw Unsupported.method("clearBatch");
  }

  @Override
  public void clearParameters() throws SQLException {
    throw Unsupported.method("clearParameters");
  }

  @Override
  public void clearWarnings() throws SQLException {
    throw Unsupported.method("clearWarnings");
  }

  @Override
  public void close() throws SQLException {
    throw Unsupported.method("close");
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    throw Unsupported.method("closeOnCompletion");
  }

  @Override
  public boolean execute() throws SQLException {
    throw Unsupported.method("execute");
  }

  @Override
  public boolean execute(String p0, int[] p1) throws SQLException {
    throw Unsupported.method("execute");
  }

  @Override
  public boolean execute(String p0, String[] p1) throws SQLException {
    throw Unsupported.method("execute");
  }

  @Override
  public boolean execute(String p0, int p1) throws SQLException {
    throw Unsupported.method("execute");
  }

  @Override
  public boolean execute(String p0) throws SQLException {
    throw Unsupported.method("execute");
  }

  @Override
  public int[] executeBatch() throws SQLException {
    throw Unsupported.method("executeBatch");
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    throw Unsupported.method("executeQuery");
  }

  @Override
  public ResultSet executeQuery(String p0) throws SQLException {
    throw Unsupported.method("executeQuery");
  }

  @Override
  public int executeUpdate() throws SQLException {
    throw Unsupported.method("executeUpdate");
  }

  @Override
  public int executeUpdate(String p0, int[] p1) throws SQLException {
    throw Unsupported.method("executeUpdate");
  }

  @Override
  public int executeUpdate(String p0, String[] p1) throws SQLException {
    throw Unsupported.method("executeUpdate");
  }

  @Override
  public int executeUpdate(String p0, int p1) throws SQLException {
    throw Unsupported.method("executeUpdate");
  }

  @Override
  public int executeUpdate(String p0) throws SQLException {
    throw Unsupported.method("executeUpdate");
  }

  @Override
  public Connection getConnection() throws SQLException {
    throw Unsupported.method("getConnection");
  }

  @Override
  public int getFetchDirection() throws SQLException {
    throw Unsupported.method("getFetchDirection");
  }

  @Override
  public int getFetchSize() throws SQLException {
    throw Unsupported.method("getFetchSize");
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    throw Unsupported.method("getGeneratedKeys");
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    throw Unsupported.method("getMaxFieldSize");
  }

  @Override
  public int getMaxRows() throws SQLException {
    throw Unsupported.method("getMaxRows");
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    throw Unsupported.method("getMetaData");
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    throw Unsupported.method("getMoreResults");
  }

  @Override
  public boolean getMoreResults(int p0) throws SQLException {
    throw Unsupported.method("getMoreResults");
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    throw Unsupported.method("getParameterMetaData");
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    throw Unsupported.method("getQueryTimeout");
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    throw Unsupported.method("getResultSet");
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    throw Unsupported.method("getResultSetConcurrency");
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    throw Unsupported.method("getResultSetHoldability");
  }

  @Override
  public int getResultSetType() throws SQLException {
    throw Unsupported.method("getResultSetType");
  }

  @Override
  public int getUpdateCount() throws SQLException {
    throw Unsupported.method("getUpdateCount");
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    throw Unsupported.method("getWarnings");
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    throw Unsupported.method("isCloseOnCompletion");
  }

  @Override
  public boolean isClosed() throws SQLException {
    throw Unsupported.method("isClosed");
  }

  @Override
  public boolean isPoolable() throws SQLException {
    throw Unsupported.method("isPoolable");
  }

  @Override
  public boolean isWrapperFor(Class<?> p0) throws SQLException {
    throw Unsupported.method("isWrapperFor");
  }

  @Override
  public void setArray(int p0, Array p1) throws SQLException {
    throw Unsupported.method("setArray");
  }

  @Override
  public void setAsciiStream(int p0, InputStream p1, int p2) throws SQLException {
    throw Unsupported.method("setAsciiStream");
  }

  @Override
  public void setAsciiStream(int p0, InputStream p1, long p2) throws SQLException {
    throw Unsupported.method("setAsciiStream");
  }

  @Override
  public void setAsciiStream(int p0, InputStream p1) throws SQLException {
    throw Unsupported.method("setAsciiStream");
  }

  @Override
  public void setBigDecimal(int p0, BigDecimal p1) throws SQLException {
    throw Unsupported.method("setBigDecimal");
  }

  @Override
  public void setBinaryStream(int p0, InputStream p1, int p2) throws SQLException {
    throw Unsupported.method("setBinaryStream");
  }

  @Override
  public void setBinaryStream(int p0, InputStream p1, long p2) throws SQLException {
    throw Unsupported.method("setBinaryStream");
  }

  @Override
  public void setBinaryStream(int p0, InputStream p1) throws SQLException {
    throw Unsupported.method("setBinaryStream");
  }

  @Override
  public void setBlob(int p0, InputStream p1, long p2) throws SQLException {
    throw Unsupported.method("setBlob");
  }

  @Override
  public void setBlob(int p0, InputStream p1) throws SQLException {
    throw Unsupported.method("setBlob");
  }

  @Override
  public void setBlob(int p0, Blob p1) throws SQLException {
    throw Unsupported.method("setBlob");
  }

  @Override
  public void setBoolean(int p0, boolean p1) throws SQLException {
    throw Unsupported.method("setBoolean");
  }

  @Override
  public void setByte(int p0, byte p1) throws SQLException {
    throw Unsupported.method("setByte");
  }

  @Override
  public void setBytes(int p0, byte[] p1) throws SQLException {
    throw Unsupported.method("setBytes");
  }

  @Override
  public void setCharacterStream(int p0, Reader p1, int p2) throws SQLException {
    throw Unsupported.method("setCharacterStream");
  }

  @Override
  public void setCharacterStream(int p0, Reader p1, long p2) throws SQLException {
    throw Unsupported.method("setCharacterStream");
  }

  @Override
  public void setCharacterStream(int p0, Reader p1) throws SQLException {
    throw Unsupported.method("setCharacterStream");
  }

  @Override
  public void setClob(int p0, Reader p1, long p2) throws SQLException {
    throw Unsupported.method("setClob");
  }

  @Override
  public void setClob(int p0, Reader p1) throws SQLException {
    throw Unsupported.method("setClob");
  }

  @Override
  public void setClob(int p0, Clob p1) throws SQLException {
    throw Unsupported.method("setClob");
  }

  @Override
  public void setCursorName(String p0) throws SQLException {
    throw Unsupported.method("setCursorName");
  }

  @Override
  public void setDate(int p0, Date p1, Calendar p2) throws SQLException {
    throw Unsupported.method("setDate");
  }

  @Override
  public void setDate(int p0, Date p1) throws SQLException {
    throw Unsupported.method("setDate");
  }

  @Override
  public void setDouble(int p0, double p1) throws SQLException {
    throw Unsupported.method("setDouble");
  }

  @Override
  public void setEscapeProcessing(boolean p0) throws SQLException {
    throw Unsupported.method("setEscapeProcessing");
  }

  @Override
  public void setFetchDirection(int p0) throws SQLException {
    throw Unsupported.method("setFetchDirection");
  }

  @Override
  public void setFetchSize(int p0) throws SQLException {
    throw Unsupported.method("setFetchSize");
  }

  @Override
  public void setFloat(int p0, float p1) throws SQLException {
    throw Unsupported.method("setFloat");
  }

  @Override
  public void setInt(int p0, int p1) throws SQLException {
    throw Unsupported.method("setInt");
  }

  @Override
  public void setLong(int p0, long p1) throws SQLException {
    throw Unsupported.method("setLong");
  }

  @Override
  public void setMaxFieldSize(int p0) throws SQLException {
    throw Unsupported.method("setMaxFieldSize");
  }

  @Override
  public void setMaxRows(int p0) throws SQLException {
    throw Unsupported.method("setMaxRows");
  }

  @Override
  public void setNCharacterStream(int p0, Reader p1, long p2) throws SQLException {
    throw Unsupported.method("setNCharacterStream");
  }

  @Override
  public void setNCharacterStream(int p0, Reader p1) throws SQLException {
    throw Unsupported.method("setNCharacterStream");
  }

  @Override
  public void setNClob(int p0, Reader p1, long p2) throws SQLException {
    throw Unsupported.method("setNClob");
  }

  @Override
  public void setNClob(int p0, Reader p1) throws SQLException {
    throw Unsupported.method("setNClob");
  }

  @Override
  public void setNClob(int p0, NClob p1) throws SQLException {
    throw Unsupported.method("setNClob");
  }

  @Override
  public void setNString(int p0, String p1) throws SQLException {
    throw Unsupported.method("setNString");
  }

  @Override
  public void setNull(int p0, int p1, String p2) throws SQLException {
    throw Unsupported.method("setNull");
  }

  @Override
  public void setNull(int p0, int p1) throws SQLException {
    throw Unsupported.method("setNull");
  }

  @Override
  public void setObject(int p0, Object p1, int p2, int p3) throws SQLException {
    throw Unsupported.method("setObject");
  }

  @Override
  public void setObject(int p0, Object p1, int p2) throws SQLException {
    throw Unsupported.method("setObject");
  }

  @Override
  public void setObject(int p0, Object p1) throws SQLException {
    throw Unsupported.method("setObject");
  }

  @Override
  public void setPoolable(boolean p0) throws SQLException {
    throw Unsupported.method("setPoolable");
  }

  @Override
  public void setQueryTimeout(int p0) throws SQLException {
    throw Unsupported.method("setQueryTimeout");
  }

  @Override
  public void setRef(int p0, Ref p1) throws SQLException {
    throw Unsupported.method("setRef");
  }

  @Override
  public void setRowId(int p0, RowId p1) throws SQLException {
    throw Unsupported.method("setRowId");
  }

  @Override
  public void setSQLXML(int p0, SQLXML p1) throws SQLException {
    throw Unsupported.method("setSQLXML");
  }

  @Override
  public void setShort(int p0, short p1) throws SQLException {
    throw Unsupported.method("setShort");
  }

  @Override
  public void setString(int p0, String p1) throws SQLException {
    throw Unsupported.method("setString");
  }

  @Override
  public void setTime(int p0, Time p1, Calendar p2) throws SQLException {
    throw Unsupported.method("setTime");
  }

  @Override
  public void setTime(int p0, Time p1) throws SQLException {
    throw Unsupported.method("setTime");
  }

  @Override
  public void setTimestamp(int p0, Timestamp p1, Calendar p2) throws SQLException {
    throw Unsupported.method("setTimestamp");
  }

  @Override
  public void setTimestamp(int p0, Timestamp p1) throws SQLException {
    throw Unsupported.method("setTimestamp");
  }

  @Override
  public void setURL(int p0, URL p1) throws SQLException {
    throw Unsupported.method("setURL");
  }

  @Deprecated
  @Override
  public void setUnicodeStream(int p0, InputStream p1, int p2) throws SQLException {
    throw Unsupported.method("setUnicodeStream");
  }

  @Override
  public <T> T unwrap(Class<T> p0) throws SQLException {
    throw Unsupported.method("unwrap");
  }
}
