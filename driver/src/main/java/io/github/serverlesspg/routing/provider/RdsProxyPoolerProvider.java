package io.github.serverlesspg.routing.provider;

import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import io.github.serverlesspg.spi.PoolerProvider;
import java.util.regex.Pattern;

/**
 * Amazon RDS Proxy endpoints: {@code <proxy>.proxy-<id>.<region>.rds.amazonaws.com} (and {@code .amazonaws.com.cn} in
 * the China regions), including custom endpoints {@code <name>.endpoint.proxy-<id>.<region>.rds.amazonaws.com}
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-endpoints.html).
 *
 * <p>Recognized, never rewritten: the proxy has no separate session-mode address, and the database behind it cannot be
 * derived from its name. It is always treated as a transaction pooler because RDS Proxy reuses server connections at
 * transaction boundaries and <em>pins</em> a client to one server connection as soon as it sees session state
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-pinning.html); transaction-mode rules keep
 * clients from pinning, which would defeat the proxy.
 */
public final class RdsProxyPoolerProvider implements PoolerProvider {
  private static final Pattern PROXY_HOST = Pattern.compile(
      "(?:[a-z0-9]+(?:-[a-z0-9]+)*\\.)+proxy-[a-z0-9]+\\.[a-z0-9]+(?:-[a-z0-9]+)*\\.rds\\.amazonaws\\.com(?:\\.cn)?");

  @Override
  public String name() {
    return "rds-proxy";
  }

  @Override
  public boolean recognizes(Endpoint endpoint) {
    return PROXY_HOST.matcher(endpoint.host()).matches();
  }

  @Override
  public boolean isTransactionPooler(Endpoint endpoint) {
    return true;
  }

  @Override
  public Endpoint route(Endpoint configured, ConnectionMode mode) {
    return configured;
  }

  // supportsProtocolPreparedStatements stays false: named prepared statements pin the session
  // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-pinning.html).
}
