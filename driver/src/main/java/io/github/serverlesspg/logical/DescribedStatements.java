package io.github.serverlesspg.logical;

import java.lang.reflect.Field;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.postgresql.PGStatement;
import org.postgresql.core.CachedQuery;

/**
 * Makes pgjdbc forget the server-side name under which it described a prepared statement. pgjdbc describes the result
 * of a statement that has not run ({@code getMetaData}) as a named statement ({@code S_1}...) even with
 * {@code prepareThreshold=0}, and keeps the name: behind a transaction-mode pooler the name would stay on a server
 * connection other clients get (their own {@code S_1} fails with 42P05) and the statement's next execution would bind
 * to it on another server connection (26000). Closing pgjdbc's query unprepares it: pgjdbc drops the name and sends a
 * Close for it with its next message, which the caller keeps on the same server connection.
 *
 * <p>pgjdbc offers no public call for this: its (package-private) statement class keeps the query in a protected
 * field, found by name and type on the statement's class, so that a relocated (shaded) pgjdbc works too; checked on
 * the oldest and newest supported pgjdbc by the compatibility tests.
 */
final class DescribedStatements {
  private static final ClassValue<Field> PREPARED_QUERY = new ClassValue<>() {
    @Override
    protected Field computeValue(Class<?> type) {
      for (Class<?> declaring = type; declaring != null; declaring = declaring.getSuperclass()) {
        for (Field field : declaring.getDeclaredFields()) {
          if (field.getName().equals("preparedQuery") && field.getType() == CachedQuery.class) {
            field.setAccessible(true);
            return field;
          }
        }
      }
      return null;
    }
  };

  private DescribedStatements() {
  }

  static void forgetServerName(PreparedStatement statement) throws SQLException {
    Field preparedQuery = PREPARED_QUERY.get(statement.getClass());
    if (preparedQuery == null) {
      if (statement instanceof PGStatement) {
        // A pgjdbc this driver does not know: failing the describe is better than leaving a name on a pooled server.
        throw new SQLException("This pgjdbc version keeps no preparedQuery field, so the server-side name of a "
            + "described statement cannot be released in transaction mode: execute the statement before reading "
            + "its metadata, or use a pgjdbc version this driver supports (42.7.0 to 42.7.14, see the README).",
            "0A000");
      }
      return; // not pgjdbc's statement (benchmark stubs): no server-side name
    }
    try {
      ((CachedQuery) preparedQuery.get(statement)).query.close();
    } catch (IllegalAccessException e) {
      throw new SQLException("Cannot reach pgjdbc's prepared query to release its server-side name: " + e, "XX000",
          e);
    }
  }
}
