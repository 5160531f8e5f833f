package io.github.serverlesspg.logical;

import java.lang.reflect.Field;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.postgresql.core.CachedQuery;

/**
 * Makes pgjdbc forget the server-side name under which it described a prepared statement. pgjdbc describes the result
 * of a statement that has not run ({@code getMetaData}) as a named statement ({@code S_1}...) even with
 * {@code prepareThreshold=0}, and keeps the name: behind a transaction-mode pooler the name would stay on a server
 * connection other clients get (their own {@code S_1} fails with 42P05) and the statement's next execution would bind
 * to it on another server connection (26000). Closing pgjdbc's query unprepares it: pgjdbc drops the name and sends a
 * Close for it with its next message, which the caller keeps on the same server connection.
 *
 * <p>pgjdbc offers no public call for this; its (package-private) statement class keeps the query in a protected field (in every supported version,
 * checked by the compatibility tests), read reflectively once.
 */
final class DescribedStatements {
  /** pgjdbc's statement class, package-private in pgjdbc. */
  private static final String STATEMENT_CLASS = "org.postgresql.jdbc.PgPreparedStatement";
  private static final Field PREPARED_QUERY = preparedQueryField();

  private DescribedStatements() {
  }

  static void forgetServerName(PreparedStatement statement) throws SQLException {
    if (!PREPARED_QUERY.getDeclaringClass().isInstance(statement)) {
      return; // a statement of a foreign delegate (benchmark stubs) has no server-side name
    }
    try {
      ((CachedQuery) PREPARED_QUERY.get(statement)).query.close();
    } catch (IllegalAccessException e) {
      throw new SQLException("Cannot reach pgjdbc's prepared query to release its server-side name: " + e, "XX000",
          e);
    }
  }

  private static Field preparedQueryField() {
    try {
      Field field = Class.forName(STATEMENT_CLASS).getDeclaredField("preparedQuery");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("This pgjdbc version has no " + STATEMENT_CLASS + ".preparedQuery", e);
    }
  }
}
