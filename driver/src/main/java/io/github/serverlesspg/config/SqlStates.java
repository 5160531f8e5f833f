package io.github.serverlesspg.config;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;

/**
 * The SQLSTATEs this driver raises itself, with the exception types JDBC expects for them, so that every place
 * reports the same condition the same way.
 */
public final class SqlStates {
  /** {@code 08001}: the client could not establish a connection (bad URL, missing environment variable, ...). */
  public static final String UNABLE_TO_CONNECT = "08001";
  /** {@code 22023}: a property value is not allowed. */
  public static final String INVALID_PARAMETER_VALUE = "22023";
  /** {@code 0A000}: the request cannot work in the chosen mode. */
  public static final String FEATURE_NOT_SUPPORTED = "0A000";
  /** {@code 08003}: the connection is closed. */
  public static final String CONNECTION_DOES_NOT_EXIST = "08003";

  private SqlStates() {
  }

  public static SQLException unableToConnect(String message) {
    return new SQLNonTransientConnectionException(message, UNABLE_TO_CONNECT);
  }

  public static SQLException unableToConnect(String message, Throwable cause) {
    return new SQLNonTransientConnectionException(message, UNABLE_TO_CONNECT, cause);
  }

  public static SQLException invalidParameter(String message) {
    return new SQLException(message, INVALID_PARAMETER_VALUE);
  }

  public static SQLException notSupported(String message) {
    return new SQLFeatureNotSupportedException(message, FEATURE_NOT_SUPPORTED);
  }

  public static SQLException closed(String what) {
    return new SQLNonTransientConnectionException(what + " is closed", CONNECTION_DOES_NOT_EXIST);
  }
}
