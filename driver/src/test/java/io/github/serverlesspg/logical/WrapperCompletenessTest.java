package io.github.serverlesspg.logical;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.ServerlessPgDriver;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Every method of every JDBC interface a wrapper implements, including those with default bodies (JDBC 4.2/4.3), is
 * implemented by the wrapper itself: an interface default would silently skip pgjdbc's implementation, which is how a
 * missed delegation happened before. Read by reflection, so a method added by a future JDBC version fails here.
 */
class WrapperCompletenessTest {

  @Test
  void everyJdbcMethodIsImplementedByEachWrapper() {
    List<String> missing = new ArrayList<>();
    check(LogicalConnection.class, Connection.class, missing);
    check(LogicalStatement.class, Statement.class, missing);
    check(LogicalPreparedStatement.class, PreparedStatement.class, missing);
    check(LogicalCallableStatement.class, CallableStatement.class, missing);
    check(LogicalResultSet.class, ResultSet.class, missing);
    check(ServerlessPgDataSource.class, DataSource.class, missing);
    check(ServerlessPgDriver.class, Driver.class, missing);
    assertThat(missing).isEmpty();
  }

  private static void check(Class<?> wrapper, Class<?> jdbcInterface, List<String> missing) {
    assertThat(jdbcInterface).isAssignableFrom(wrapper);
    for (Method method : jdbcInterface.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      try {
        Method implementation = wrapper.getMethod(method.getName(), method.getParameterTypes());
        if (implementation.getDeclaringClass().isInterface()) {
          missing.add(wrapper.getSimpleName() + " inherits the default " + describe(method));
        }
      } catch (NoSuchMethodException e) {
        missing.add(wrapper.getSimpleName() + " lacks " + describe(method));
      }
    }
  }

  private static String describe(Method method) {
    StringBuilder text = new StringBuilder(method.getDeclaringClass().getSimpleName()).append('.')
        .append(method.getName()).append('(');
    Class<?>[] parameters = method.getParameterTypes();
    for (int i = 0; i < parameters.length; i++) {
      text.append(i == 0 ? "" : ", ").append(parameters[i].getSimpleName());
    }
    return text.append(')').toString();
  }
}
