package io.github.serverlesspg.routing;

import io.github.serverlesspg.config.ServerlessPgProperty;
import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which physical connections are interchangeable: two plans share pooled connections only when every component is
 * equal. A record of the resolved settings, never a string built from them: a joined {@code "k=v|k=v"} key let an
 * application name containing {@code "|sslmode=verify-full"} pass for a plan that demands {@code verify-full}.
 *
 * <p>{@code equals}, {@code hashCode} and {@code toString} are written out rather than generated: a record's generated
 * methods are bootstrapped through {@code invokedynamic} on first use, which the first connect of a process would pay
 * for.
 *
 * @param mode the connection mode
 * @param endpoints the routed endpoints, in order
 * @param database the database name, or null
 * @param serverPrepare whether named server-side prepared statements are allowed
 * @param user the user name, or null
 * @param credential what authenticates the connection (a digest of the password, or a credential provider)
 * @param pgjdbcProperties every other property handed to pgjdbc ({@code sslmode}, {@code sslrootcert},
 *     {@code channelBinding}, {@code ApplicationName}...), secrets excepted (they are in {@code credential})
 * @param settings the driver's own settings
 */
public record PoolKey(ConnectionMode mode, List<Endpoint> endpoints, String database, boolean serverPrepare,
    String user, CredentialIdentity credential, Map<String, String> pgjdbcProperties,
    Map<ServerlessPgProperty, String> settings) {

  public PoolKey {
    endpoints = List.copyOf(endpoints);
    pgjdbcProperties = Map.copyOf(pgjdbcProperties);
    settings = Map.copyOf(settings);
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(credential, "credential");
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof PoolKey)) {
      return false;
    }
    PoolKey that = (PoolKey) other;
    return mode == that.mode && serverPrepare == that.serverPrepare && sameEndpoints(endpoints, that.endpoints)
        && Objects.equals(database, that.database) && Objects.equals(user, that.user)
        && credential.equals(that.credential) && pgjdbcProperties.equals(that.pgjdbcProperties)
        && settings.equals(that.settings);
  }

  @Override
  public int hashCode() {
    int hash = mode.hashCode();
    for (Endpoint endpoint : endpoints) {
      hash = 31 * hash + 31 * endpoint.host().hashCode() + endpoint.port();
    }
    hash = 31 * hash + Objects.hashCode(database);
    hash = 31 * hash + Boolean.hashCode(serverPrepare);
    hash = 31 * hash + Objects.hashCode(user);
    hash = 31 * hash + credential.hashCode();
    hash = 31 * hash + pgjdbcProperties.hashCode();
    return 31 * hash + settings.hashCode();
  }

  private static boolean sameEndpoints(List<Endpoint> a, List<Endpoint> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i).port() != b.get(i).port() || !a.get(i).host().equals(b.get(i).host())) {
        return false;
      }
    }
    return true;
  }

  /** Never the credential itself: the key may be logged. */
  @Override
  public String toString() {
    return "PoolKey[mode=" + mode + ", endpoints=" + endpoints + ", database=" + database + ", serverPrepare="
        + serverPrepare + ", user=" + user + ", credential=" + credential + ", pgjdbcProperties="
        + new java.util.TreeMap<>(pgjdbcProperties) + ", settings=" + settings + "]";
  }
}
