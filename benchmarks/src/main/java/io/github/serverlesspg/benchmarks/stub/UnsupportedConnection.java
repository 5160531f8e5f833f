package io.github.serverlesspg.benchmarks.stub;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/** A {@link Connection} whose every method is unsupported; stubs override the few a benchmark calls. */
abstract class UnsupportedConnection implements Connection {

  @Override
  public void abort(Executor p0) throws SQLException {
    throw Unsupported.method("abort");
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
  public void commit() throws SQLException {
    throw Unsupported.method("commit");
  }

  @Override
  public Array createArrayOf(String p0, Object[] p1) throws SQLException {
    throw Unsupported.method("createArrayOf");
  }

  @Override
  public Blob createBlob() throws SQLException {
    throw Unsupported.method("createBlob");
  }

  @Override
  public Clob createClob() throws SQLException {
    throw Unsupported.method("createClob");
  }

  @Override
  public NClob createNClob() throws SQLException {
    throw Unsupported.method("createNClob");
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    throw Unsupported.method("createSQLXML");
  }

  @Override
  public Statement createStatement() throws SQLException {
    throw Unsupported.method("createStatement");
  }

  @Override
  public Statement createStatement(int p0, int p1, int p2) throws SQLException {
    throw Unsupported.method("createStatement");
  }

  @Override
  public Statement createStatement(int p0, int p1) throws SQLException {
    throw Unsupported.method("createStatement");
  }

  @Override
  public Struct createStruct(String p0, Object[] p1) throws SQLException {
    throw Unsupported.method("createStruct");
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    throw Unsupported.method("getAutoCommit");
  }

  @Override
  public String getCatalog() throws SQLException {
    throw Unsupported.method("getCatalog");
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    throw Unsupported.method("getClientInfo");
  }

  @Override
  public String getClientInfo(String p0) throws SQLException {
    throw Unsupported.method("getClientInfo");
  }

  @Override
  public int getHoldability() throws SQLException {
    throw Unsupported.method("getHoldability");
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    throw Unsupported.method("getMetaData");
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    throw Unsupported.method("getNetworkTimeout");
  }

  @Override
  public String getSchema() throws SQLException {
    throw Unsupported.method("getSchema");
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    throw Unsupported.method("getTransactionIsolation");
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    throw Unsupported.method("getTypeMap");
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    throw Unsupported.method("getWarnings");
  }

  @Override
  public boolean isClosed() throws SQLException {
    throw Unsupported.method("isClosed");
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    throw Unsupported.method("isReadOnly");
  }

  @Override
  public boolean isValid(int p0) throws SQLException {
    throw Unsupported.method("isValid");
  }

  @Override
  public boolean isWrapperFor(Class<?> p0) throws SQLException {
    throw Unsupported.method("isWrapperFor");
  }

  @Override
  public String nativeSQL(String p0) throws SQLException {
    throw Unsupported.method("nativeSQL");
  }

  @Override
  public CallableStatement prepareCall(String p0, int p1, int p2, int p3) throws SQLException {
    throw Unsupported.method("prepareCall");
  }

  @Override
  public CallableStatement prepareCall(String p0, int p1, int p2) throws SQLException {
    throw Unsupported.method("prepareCall");
  }

  @Override
  public CallableStatement prepareCall(String p0) throws SQLException {
    throw Unsupported.method("prepareCall");
  }

  @Override
  public PreparedStatement prepareStatement(String p0, int[] p1) throws SQLException {
    throw Unsupported.method("prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String p0, String[] p1) throws SQLException {
    throw Unsupported.method("prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String p0, int p1, int p2, int p3) throws SQLException {
    throw Unsupported.method("prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String p0, int p1, int p2) throws SQLException {
    throw Unsupported.method("prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String p0, int p1) throws SQLException {
    throw Unsupported.method("prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String p0) throws SQLException {
    throw Unsupported.method("prepareStatement");
  }

  @Override
  public void releaseSavepoint(Savepoint p0) throws SQLException {
    throw Unsupported.method("releaseSavepoint");
  }

  @Override
  public void rollback() throws SQLException {
    throw Unsupported.method("rollback");
  }

  @Override
  public void rollback(Savepoint p0) throws SQLException {
    throw Unsupported.method("rollback");
  }

  @Override
  public void setAutoCommit(boolean p0) throws SQLException {
    throw Unsupported.method("setAutoCommit");
  }

  @Override
  public void setCatalog(String p0) throws SQLException {
    throw Unsupported.method("setCatalog");
  }

  @Override
  public void setClientInfo(String p0, String p1) throws SQLClientInfoException {
    throw Unsupported.clientInfo();
  }

  @Override
  public void setClientInfo(Properties p0) throws SQLClientInfoException {
    throw Unsupported.clientInfo();
  }

  @Override
  public void setHoldability(int p0) throws SQLException {
    throw Unsupported.method("setHoldability");
  }

  @Override
  public void setNetworkTimeout(Executor p0, int p1) throws SQLException {
    throw Unsupported.method("setNetworkTimeout");
  }

  @Override
  public void setReadOnly(boolean p0) throws SQLException {
    throw Unsupported.method("setReadOnly");
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    throw Unsupported.method("setSavepoint");
  }

  @Override
  public Savepoint setSavepoint(String p0) throws SQLException {
    throw Unsupported.method("setSavepoint");
  }

  @Override
  public void setSchema(String p0) throws SQLException {
    throw Unsupported.method("setSchema");
  }

  @Override
  public void setTransactionIsolation(int p0) throws SQLException {
    throw Unsupported.method("setTransactionIsolation");
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> p0) throws SQLException {
    throw Unsupported.method("setTypeMap");
  }

  @Override
  public <T> T unwrap(Class<T> p0) throws SQLException {
    throw Unsupported.method("unwrap");
  }
}
