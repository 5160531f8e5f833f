package io.github.serverlesspg.routing;

import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.routing.credential.EnvironmentCredentialProvider;
import io.github.serverlesspg.routing.credential.FileCredentialProvider;
import io.github.serverlesspg.spi.CredentialProvider;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the {@link CredentialProvider} named by {@code credentialProvider}: a built-in, one listed in
 * {@code META-INF/services}, or a class name. Providers other than the built-ins are created once per name and kept,
 * so that every plan naming them shares one instance, and so one pool key.
 */
final class CredentialProviders {
  private static final ConcurrentHashMap<String, CredentialProvider> LOADED = new ConcurrentHashMap<>();

  private CredentialProviders() {
  }

  static CredentialProvider forName(String name, Environment environment) throws SQLException {
    if (name.equals(FileCredentialProvider.NAME)) {
      return new FileCredentialProvider();
    }
    if (name.equals(EnvironmentCredentialProvider.NAME)) {
      return new EnvironmentCredentialProvider(environment);
    }
    CredentialProvider provider = LOADED.get(name);
    if (provider == null) {
      provider = load(name);
      CredentialProvider raced = LOADED.putIfAbsent(name, provider);
      provider = raced == null ? provider : raced;
    }
    return provider;
  }

  private static CredentialProvider load(String name) throws SQLException {
    List<String> names = new ArrayList<>(List.of(FileCredentialProvider.NAME, EnvironmentCredentialProvider.NAME));
    for (CredentialProvider provider : ServiceLoader.load(CredentialProvider.class, loader())) {
      if (provider.name().equals(name)) {
        return provider;
      }
      names.add(provider.name());
    }
    if (name.indexOf('.') > 0) {
      try {
        Class<?> type = Class.forName(name, true, loader());
        if (!CredentialProvider.class.isAssignableFrom(type)) {
          throw SqlStates.invalidParameter("Class " + name + " of property 'credentialProvider' does not implement "
              + CredentialProvider.class.getName() + ".");
        }
        return (CredentialProvider) type.getConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        throw SqlStates.invalidParameter("Cannot create credential provider " + name + ": "
            + e.getClass().getSimpleName() + ". It needs a public no-argument constructor and must be on the class "
            + "path.");
      }
    }
    throw SqlStates.invalidParameter("Unknown credentialProvider '" + name + "': expected one of "
        + String.join(", ", names) + " (providers listed in META-INF/services/" + CredentialProvider.class.getName()
        + ") or a class name.");
  }

  private static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : CredentialProviders.class.getClassLoader();
  }
}
