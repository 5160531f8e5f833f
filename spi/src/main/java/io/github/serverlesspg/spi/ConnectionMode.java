package io.github.serverlesspg.spi;

/**
 * How physical connections reach PostgreSQL, which decides which session features are safe.
 */
public enum ConnectionMode {
  /**
   * Through a pooler that hands a server connection to a client for one transaction only (PgBouncer
   * {@code pool_mode=transaction}, Neon's {@code -pooler} hosts, Supabase port 6543, RDS Proxy). Session state does not
   * survive a transaction boundary.
   */
  TRANSACTION,
  /** Through a pooler that keeps one server connection per client connection. Session state is safe. */
  SESSION,
  /** Straight to PostgreSQL, exactly as plain pgjdbc. */
  DIRECT
}
