package io.github.serverlesspg.logical;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;

/**
 * pgjdbc's {@link DatabaseMetaData} with {@code getConnection()} answering the logical connection, so that
 * frameworks walking from metadata back to the connection never reach (and close) the physical one. A dynamic proxy
 * suffices: metadata calls are rare and slow anyway, and it keeps 180 delegating methods out of the code base.
 */
final class LogicalMetaData {
  private LogicalMetaData() {
  }

  static DatabaseMetaData wrap(DatabaseMetaData metaData, Connection logical) {
    return (DatabaseMetaData) Proxy.newProxyInstance(LogicalMetaData.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
          if (method.getName().equals("getConnection") && method.getParameterCount() == 0) {
            return logical;
          }
          if (isUnwrapToSelf(method, args, proxy)) {
            return method.getName().equals("unwrap") ? proxy : Boolean.TRUE;
          }
          try {
            return method.invoke(metaData, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static boolean isUnwrapToSelf(Method method, Object[] args, Object proxy) {
    return (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor"))
        && args != null && args.length == 1 && args[0] == DatabaseMetaData.class;
  }
}
