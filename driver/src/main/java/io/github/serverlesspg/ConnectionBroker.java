package io.github.serverlesspg;

import io.github.serverlesspg.logical.ExecutionTracer;
import io.github.serverlesspg.logical.LeakDetector;
import io.github.serverlesspg.logical.LogicalConnection;
import io.github.serverlesspg.physical.PgjdbcConnector;
import io.github.serverlesspg.physical.PhysicalConnection;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.physical.PhysicalPool;
import io.github.serverlesspg.physical.PoolObserver;
import io.github.serverlesspg.routing.ConnectionPlan;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link ConnectionPlan} into a logical connection: finds (or creates) the target's pool in the process-wide
 * cache, borrows a physical connection and wraps it. Shared by the {@link ServerlessPgDriver} and the
 * {@link ServerlessPgDataSource}.
 */
final class ConnectionBroker {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionBroker.class);

  private final PhysicalConnectionCache cache;

  ConnectionBroker(PhysicalConnectionCache cache) {
    this.cache = cache;
  }

  /** The broker over the process-wide cache; created on first connect. */
  static ConnectionBroker global() {
    return Global.INSTANCE;
  }

  Connection connect(ConnectionPlan plan) throws SQLException {
    while (true) {
      PhysicalPool pool = cache.pool(plan.cacheKey(), key -> newPool(plan));
      int[] held = PhysicalPool.heldCounter();
      PhysicalConnection physical = pool.borrow();
      if (physical != null) {
        return new LogicalConnection(physical, pool, held, plan, ExecutionTracer.NONE, leakDetector(plan));
      }
      // The pool was closed between lookup and borrow (its target went idle): forget it and ask again.
      cache.forget(plan.cacheKey(), pool);
    }
  }

  /** The pool of a plan's target if one is open, for health reports; null otherwise. */
  PhysicalPool existingPool(ConnectionPlan plan) {
    for (PhysicalPool pool : cache.pools()) {
      if (pool.target().equals(targetOf(plan))) {
        return pool;
      }
    }
    return null;
  }

  private static PhysicalPool newPool(ConnectionPlan plan) {
    if (LOG.isInfoEnabled()) {
      LOG.info("serverless-pg: first connection to {}\n{}", targetOf(plan), plan.explain());
    }
    return new PhysicalPool(targetOf(plan), plan.pool(), new PgjdbcConnector(plan), PoolObserver.NONE);
  }

  /** {@code host:port/database} of the routed endpoint, for messages and health reports; never credentials. */
  static String targetOf(ConnectionPlan plan) {
    return plan.primaryEndpoint() + "/" + (plan.database() == null ? "" : plan.database());
  }

  private static LeakDetector leakDetector(ConnectionPlan plan) {
    long threshold = plan.pool().leakDetectionThresholdMillis();
    return threshold > 0 ? new LeakDetector(threshold) : null;
  }

  private static final class Global {
    static final ConnectionBroker INSTANCE = new ConnectionBroker(PhysicalConnectionCache.global());
  }
}
