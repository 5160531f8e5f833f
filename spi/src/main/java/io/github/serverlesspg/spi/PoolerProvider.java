package io.github.serverlesspg.spi;

/**
 * Knows the endpoints of one hosted PostgreSQL offering (Neon, Supabase, RDS Proxy, ...) and maps a configured
 * endpoint to the one to use for a connection mode.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.github.serverlesspg.spi.PoolerProvider}. They must be stateless, thread-safe, and must
 * not touch the network: the driver calls them while it plans a connection. The first provider (by
 * {@link #priority()}, then name) that {@linkplain #recognizes recognizes} an endpoint owns it.
 */
public interface PoolerProvider {

  /** Short lower-case name used in logs, {@code explain} output and telemetry, e.g. {@code neon}. */
  String name();

  /** Whether this provider owns the endpoint (by host name pattern, usually). */
  boolean recognizes(Endpoint endpoint);

  /**
   * Whether the endpoint already is a transaction-mode pooler, so that {@code mode=auto} means transaction mode for
   * it. Only called for endpoints this provider {@linkplain #recognizes recognizes}.
   */
  boolean isTransactionPooler(Endpoint endpoint);

  /**
   * The endpoint to connect to for {@code mode}, given the endpoint the user configured. Returns {@code configured}
   * itself when no rewrite applies. Only called for endpoints this provider {@linkplain #recognizes recognizes}. Must
   * be a pure function of its arguments.
   */
  Endpoint route(Endpoint configured, ConnectionMode mode);

  /**
   * Whether the provider's transaction pooler supports protocol-level prepared statements, so that named server-side
   * prepares are safe in transaction mode. {@code false} unless the provider documents otherwise.
   */
  default boolean supportsProtocolPreparedStatements() {
    return false;
  }

  /** Providers with a higher priority are asked first; built-ins use 0 so that user providers can win. */
  default int priority() {
    return 0;
  }
}
