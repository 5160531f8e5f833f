package io.github.serverlesspg.routing.provider;

import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import io.github.serverlesspg.spi.PoolerProvider;
import java.util.regex.Pattern;

/**
 * Supabase databases: the direct host {@code db.<project-ref>.supabase.co} and the shared Supavisor pooler
 * {@code aws-<n>-<region>.pooler.supabase.com}, where port 5432 is session mode and port 6543 transaction mode
 * (https://supabase.com/docs/guides/database/connecting-to-postgres).
 *
 * <p>Routing only changes the port: transaction mode uses 6543, session and direct mode 5432. On the direct host,
 * port 6543 is the dedicated PgBouncer pooler. A direct connection cannot be derived from a pooler host, because the
 * project ref that names the direct host ({@code db.<ref>.supabase.co}) only appears in the user name
 * ({@code postgres.<ref>}), which providers never see; direct mode on a pooler host therefore gets port 5432 on the
 * same host, session mode, which is the closest to a direct connection: session state is safe there.
 */
public final class SupabasePoolerProvider implements PoolerProvider {
  /** Supavisor's and PgBouncer's transaction-mode port on Supabase. */
  static final int TRANSACTION_PORT = 6543;
  /** Postgres itself on the direct host, Supavisor session mode on the pooler host. */
  static final int SESSION_PORT = 5432;

  private static final Pattern DIRECT_HOST = Pattern.compile("db\\.[a-z0-9]+\\.supabase\\.co");
  private static final Pattern POOLER_HOST = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*\\.pooler\\.supabase\\.com");

  @Override
  public String name() {
    return "supabase";
  }

  @Override
  public boolean recognizes(Endpoint endpoint) {
    String host = endpoint.host();
    return DIRECT_HOST.matcher(host).matches() || POOLER_HOST.matcher(host).matches();
  }

  @Override
  public boolean isTransactionPooler(Endpoint endpoint) {
    return endpoint.port() == TRANSACTION_PORT;
  }

  @Override
  public Endpoint route(Endpoint configured, ConnectionMode mode) {
    int port = mode == ConnectionMode.TRANSACTION ? TRANSACTION_PORT : SESSION_PORT;
    return configured.port() == port ? configured : configured.withPort(port);
  }
}
