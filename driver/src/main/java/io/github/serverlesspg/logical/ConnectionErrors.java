package io.github.serverlesspg.logical;

import java.sql.SQLException;

/** Classifies SQLExceptions that mean the physical connection can no longer be trusted. */
final class ConnectionErrors {
  private ConnectionErrors() {
  }

  /**
   * Whether the error means the connection is gone: SQLSTATE class 08 (connection exception), 57P01-57P03 (admin
   * shutdown, crash shutdown, cannot connect now), or a pgjdbc I/O error without a state.
   */
  static boolean isFatal(SQLException error) {
    for (SQLException e = error; e != null; e = e.getNextException()) {
      String state = e.getSQLState();
      if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
          || state.equals("57P03"))) {
        return true;
      }
    }
    return false;
  }
}
