package io.github.serverlesspg.routing.provider;

import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import io.github.serverlesspg.spi.PoolerProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Neon compute endpoints, {@code ep-<name>-<id>.<region>.<cloud>.neon.tech}, and their PgBouncer pooler,
 * which is the same host with {@code -pooler} appended to the endpoint id
 * (https://neon.com/docs/connect/connection-pooling).
 *
 * <p>Transaction mode routes to the {@code -pooler} host. Session and direct mode route to the compute itself:
 * Neon's only pooler runs in transaction mode, so the closest thing to a session is a direct connection. The port is
 * never touched.
 */
public final class NeonPoolerProvider implements PoolerProvider {
  private static final String DOMAIN = ".neon.tech";
  private static final String POOLER_SUFFIX = "-pooler";

  /**
   * The first host label: the endpoint id, then any {@code -pooler} suffixes. The id part is lazy so that every
   * trailing {@code -pooler} lands in the second group, which keeps stripping and adding the suffix inverse operations.
   */
  private static final Pattern FIRST_LABEL = Pattern.compile("(ep-[a-z0-9]+(?:-[a-z0-9]+)*?)((?:-pooler)*)");

  @Override
  public String name() {
    return "neon";
  }

  @Override
  public boolean recognizes(Endpoint endpoint) {
    return firstLabel(endpoint) != null;
  }

  @Override
  public boolean isTransactionPooler(Endpoint endpoint) {
    Matcher label = firstLabel(endpoint);
    return label != null && !label.group(2).isEmpty();
  }

  @Override
  public Endpoint route(Endpoint configured, ConnectionMode mode) {
    Matcher label = firstLabel(configured);
    if (label == null) {
      return configured;
    }
    boolean pooled = !label.group(2).isEmpty();
    boolean wantPooled = mode == ConnectionMode.TRANSACTION;
    if (pooled == wantPooled) {
      return configured;
    }
    String rest = configured.host().substring(label.end());
    String endpointId = label.group(1);
    return configured.withHost((wantPooled ? endpointId + POOLER_SUFFIX : endpointId) + rest);
  }

  /**
   * Neon runs PgBouncer 1.22 with {@code max_prepared_statements=1000}, which tracks protocol-level named prepared
   * statements across server connections (https://neon.com/docs/connect/connection-pooling,
   * https://neon.com/blog/pgbouncer-the-one-with-prepared-statements).
   */
  @Override
  public boolean supportsProtocolPreparedStatements() {
    return true;
  }

  /** The matched first label of a Neon host, or null when the host is not one. */
  private static Matcher firstLabel(Endpoint endpoint) {
    String host = endpoint.host();
    int dot = host.indexOf('.');
    // A region label must sit between the endpoint id and the domain: "ep-x.neon.tech" is not a compute host.
    if (dot < 0 || !host.endsWith(DOMAIN) || host.length() - DOMAIN.length() <= dot) {
      return null;
    }
    Matcher label = FIRST_LABEL.matcher(host.substring(0, dot));
    return label.matches() ? label : null;
  }
}
