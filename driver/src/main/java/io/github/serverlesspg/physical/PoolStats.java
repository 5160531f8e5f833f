package io.github.serverlesspg.physical;

/**
 * A consistent snapshot of one pool's counters.
 *
 * @param active physical connections lent to logical connections (overflow included)
 * @param idle physical connections open and waiting to be reused
 * @param total physical connections open
 * @param waiting callers waiting for a connection
 * @param limit {@code maxConnections}
 */
public record PoolStats(int active, int idle, int total, int waiting, int limit) {
  /** Share of the limit in use, in percent, as the seed's health document reports it. */
  public int utilizationPercent() {
    return limit == 0 ? 0 : (int) Math.min(100, Math.round(100.0 * active / limit));
  }
}
