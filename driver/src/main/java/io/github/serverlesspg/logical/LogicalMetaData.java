package io.github.serverlesspg.logical;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * pgjdbc's {@link DatabaseMetaData} with {@code getConnection()} answering the logical connection, so that
 * frameworks walking from metadata back to the connection never reach (and close) the physical one. A dynamic proxy
 * suffices: metadata calls are rare and slow anyway, and it keeps 180 delegating methods out of the code base.
 */
final class LogicalMetaData {
  private LogicalMetaData() {
  }

  static DatabaseMetaData wrap(DatabaseMetaData metaData, LogicalConnection logical) {
    return (DatabaseMetaData) Proxy.newProxyInstance(LogicalMetaData.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("getConnection") && method.getParameterCount() == 0) {
            return logical;
          }
          if (name.equals("equals") && method.getParameterCount() == 1) {
            return proxy == args[0];
          }
          if (name.equals("hashCode") && method.getParameterCount() == 0) {
            return System.identityHashCode(proxy);
          }
          if (isUnwrapToSelf(method, args, proxy)) {
            return name.equals("unwrap") ? proxy : Boolean.TRUE;
          }
          Object result;
          try {
            result = method.invoke(metaData, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (result instanceof ResultSet) {
            // pgjdbc's result leads to its internal statement and from there to the physical connection, which the
            // application could close: lead back to this handle instead.
            Statement internal = ((ResultSet) result).getStatement();
            return LogicalResultSet.wrap(internal == null ? null : new LogicalStatement(logical, internal),
                (ResultSet) result);
          }
          return result;
        });
  }

  private static boolean isUnwrapToSelf(Method method, Object[] args, Object proxy) {
    return (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor"))
        && args != null && args.length == 1 && args[0] == DatabaseMetaData.class;
  }
}
