package io.github.serverlesspg.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the shared {@link DatabaseEnvironment} before a test class (so a startup failure fails the class
 * up front) and injects it, its {@link PostgresServer} and its poolers into constructors and methods.
 */
public final class RealDatabaseExtension implements BeforeAllCallback, ParameterResolver {

  @Override
  public void beforeAll(ExtensionContext context) {
    DatabaseEnvironment.shared();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == DatabaseEnvironment.class || type == PostgresServer.class || type == PgBouncerServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    DatabaseEnvironment environment = DatabaseEnvironment.shared();
    if (type == DatabaseEnvironment.class) {
      return environment;
    }
    if (type == PostgresServer.class) {
      return environment.postgres();
    }
    Pooler pooler = parameter.findAnnotation(Pooler.class).orElseThrow(() -> new ParameterResolutionException(
        "annotate the PgBouncerServer parameter " + parameter.getParameter()
            + " with @Pooler(PoolMode.TRANSACTION) or @Pooler(PoolMode.SESSION)"));
    return environment.pooler(pooler.value());
  }
}
