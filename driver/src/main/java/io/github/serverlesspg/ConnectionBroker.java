package io.github.serverlesspg;

import io.github.serverlesspg.logical.ExecutionTracer;
import io.github.serverlesspg.logical.LeakDetector;
import io.github.serverlesspg.logical.LogicalConnection;
import io.github.serverlesspg.physical.ConnectFailureHints;
import io.github.serverlesspg.physical.Connector;
import io.github.serverlesspg.physical.PgjdbcConnector;
import io.github.serverlesspg.physical.PhysicalConnection;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.physical.PhysicalPool;
import io.github.serverlesspg.physical.PoolObserver;
import io.github.serverlesspg.physical.PoolStats;
import io.github.serverlesspg.physical.ProbingConnector;
import io.github.serverlesspg.physical.RetryingConnector;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.routing.ProbeVerdict;
import io.github.serverlesspg.routing.ProbeVerdicts;
import io.github.serverlesspg.telemetry.ConnectTrace;
import io.github.serverlesspg.telemetry.HealthCheck;
import io.github.serverlesspg.telemetry.HealthSnapshot;
import io.github.serverlesspg.telemetry.PlanTelemetry;
import io.github.serverlesspg.telemetry.PoolDirectory;
import io.github.serverlesspg.telemetry.Telemetry;
import io.github.serverlesspg.util.Log;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Turns a {@link ConnectionPlan} into a logical connection: finds (or creates) the target's pool in the process-wide
 * cache, borrows a physical connection and wraps it. Shared by the {@link ServerlessPgDriver} and the
 * {@link ServerlessPgDataSource}.
 */
final class ConnectionBroker implements PoolDirectory {
  private static final Log LOG = Log.of(ConnectionBroker.class);

  private final PhysicalConnectionCache cache;
  private final ProbeVerdicts verdicts;

  ConnectionBroker(PhysicalConnectionCache cache, ProbeVerdicts verdicts) {
    this.cache = cache;
    this.verdicts = verdicts;
  }

  /** The broker over the process-wide cache; created on first connect. */
  static ConnectionBroker global() {
    return Global.INSTANCE;
  }

  /** Binds a plan to its telemetry and leak detector; the pool is looked up on first connect. */
  Target bind(ConnectionPlan plan) {
    long threshold = plan.pool().leakDetectionThresholdMillis();
    return new Target(plan, plan.telemetry() ? Telemetry.of(plan, this) : null,
        threshold > 0 ? new LeakDetector(threshold) : null);
  }

  Connection connect(Target target) throws SQLException {
    PlanTelemetry telemetry = target.telemetry;
    if (telemetry == null) {
      return open(target, ExecutionTracer.NONE);
    }
    ConnectTrace trace = telemetry.startConnect();
    if (trace == null) {
      // No OpenTelemetry instance: statement statistics for health only.
      return open(target, telemetry.queryTracer());
    }
    try {
      LogicalConnection connection = open(target, telemetry.queryTracer());
      trace.connected(connection.physical());
      ProbeVerdict verdict = connection.plan().probeVerdict();
      if (verdict != null) {
        trace.probed(connection.plan().mode(), verdict.attributeValue());
      }
      return connection;
    } catch (SQLException | RuntimeException e) {
      trace.failed(e);
      throw e;
    } finally {
      trace.end();
    }
  }

  /**
   * Opens (or takes the kept) physical connection of the target through a traced connect, checks it with a round
   * trip and gives it back to the pool: the connect of a cold start, paid before the first request.
   */
  void warmUp(Target target) throws SQLException {
    try (Connection connection = connect(target)) {
      int seconds = (int) Math.max(1, (target.plan.pool().validationTimeoutMillis() + 999) / 1000);
      if (!connection.isValid(seconds)) {
        ((LogicalConnection) connection).physical().markBroken();
        throw io.github.serverlesspg.config.SqlStates.unableToConnect("Warm-up of " + targetOf(target.plan)
            + ": the new connection did not answer a validation within " + seconds + " s.");
      }
    }
  }

  /** A live health report of the plan's target: a {@code SELECT 1} over an untraced connection, pool and queries. */
  HealthSnapshot health(Target target) {
    return HealthCheck.check(target.plan, targetOf(target.plan), this, () -> open(target, ExecutionTracer.NONE));
  }

  private LogicalConnection open(Target target, ExecutionTracer tracer) throws SQLException {
    ConnectionPlan plan = target.plan;
    while (true) {
      PhysicalPool pool = target.pool;
      if (pool == null || pool.isClosed()) {
        pool = poolOf(plan);
        target.pool = pool;
      }
      PhysicalConnection physical = pool.borrow();
      if (physical != null) {
        if (plan.awaitsProbe()) {
          plan = resolve(target, plan, pool, physical);
        }
        return new LogicalConnection(physical, pool, plan, tracer, target.leakDetector);
      }
      // The pool was closed between lookup and borrow (its target went idle): forget it and ask again.
      cache.forget(plan.cacheKey(), pool);
      target.pool = null;
    }
  }

  /**
   * The plan for the endpoint's verdict, which the connector recorded before this (or an earlier) connection was
   * handed out; remembered in the target so that later connects skip this step.
   */
  private ConnectionPlan resolve(Target target, ConnectionPlan plan, PhysicalPool pool, PhysicalConnection physical)
      throws SQLException {
    ProbeVerdict verdict = verdicts.get(plan.probeKey());
    if (verdict == null) {
      // Not reachable: every connection of a probe family is opened by a connector that records the verdict first.
      // Were it reached, the pooler-safe plan suits a pooler-safe connection.
      return plan;
    }
    ConnectionPlan resolved;
    try {
      resolved = plan.resolve(verdict);
    } catch (SQLException | RuntimeException e) {
      pool.release(physical, physical.lease());
      throw e;
    }
    target.plan = resolved;
    return resolved;
  }

  private PhysicalPool poolOf(ConnectionPlan plan) {
    PhysicalPool pool = cache.existing(plan.cacheKey());
    if (pool == null) {
      pool = cache.pool(plan.cacheKey(), new PhysicalConnectionCache.PoolFactory() {
        // An anonymous class, not a lambda: the first connect of a process should not pay a lambda bootstrap.
        @Override
        public PhysicalPool create() {
          return newPool(plan);
        }
      }, plan.pool().processBounds());
    }
    return pool;
  }

  @Override
  public String target(ConnectionPlan plan) {
    return targetOf(plan);
  }

  @Override
  public PoolStats stats(String target) {
    int active = 0;
    int idle = 0;
    int total = 0;
    int waiting = 0;
    int limit = 0;
    for (PhysicalPool pool : cache.pools()) {
      if (pool.target().equals(target)) {
        PoolStats stats = pool.stats();
        active += stats.active();
        idle += stats.idle();
        total += stats.total();
        waiting += stats.waiting();
        limit += stats.limit();
      }
    }
    return new PoolStats(active, idle, total, waiting, limit);
  }

  private PhysicalPool newPool(ConnectionPlan plan) {
    if (LOG.isInfoEnabled()) {
      LOG.info("serverless-pg: first connection to {}\n{}", targetOf(plan), plan.explain());
    }
    if (!plan.telemetry()) {
      Connector connector = plan.awaitsProbe()
          ? new ProbingConnector(plan, new PgjdbcConnector(plan), new PgjdbcConnector(plan.directForm()), verdicts)
          : new PgjdbcConnector(plan);
      return new PhysicalPool(targetOf(plan), plan.pool(),
          new ConnectFailureHints(plan, verdicts, retrying(plan, connector, PoolObserver.NONE)),
          PoolObserver.NONE);
    }
    // Telemetry's socket factories time TCP and TLS: they change what pgjdbc is given, not the plan or its cache key.
    PlanTelemetry telemetry = Telemetry.of(plan, this);
    telemetry.poolOpened();
    PoolObserver observer = telemetry.poolObserver();
    Connector connector = telemetry.timed(new PgjdbcConnector(plan, telemetry.pgjdbcOverrides()));
    if (plan.awaitsProbe()) {
      connector = new ProbingConnector(plan, connector,
          telemetry.timed(new PgjdbcConnector(plan.directForm(), telemetry.pgjdbcOverrides())), verdicts);
    }
    return new PhysicalPool(targetOf(plan), plan.pool(),
        new ConnectFailureHints(plan, verdicts, retrying(plan, connector, observer)), observer);
  }

  /**
   * Transient connect failures are retried around the timed (and probing) connector, so that every attempt has its
   * own phases, and inside the failure hints, so that the final failure is explained once.
   */
  private static Connector retrying(ConnectionPlan plan, Connector connector, PoolObserver observer) {
    long budget = plan.pool().connectRetryBudgetMillis();
    return budget <= 0 ? connector : new RetryingConnector(connector, targetOf(plan), budget, observer);
  }

  /**
   * Closes the pool of {@code target}: idle connections now, lent ones when they are released. A later connect to
   * the same target opens a new pool.
   */
  void close(Target target) {
    PhysicalPool pool = target.pool;
    if (pool != null) {
      target.pool = null;
      cache.forget(target.plan.cacheKey(), pool);
      pool.close("closed by the application");
    }
  }

  /** Closes every pool of the process; see {@link ServerlessPgDriver#closeAllPools()}. */
  void closeAll() {
    cache.closeAll("closed by the application");
  }

  /** {@code host:port/database} of the routed endpoint, for messages and health reports; never credentials. */
  static String targetOf(ConnectionPlan plan) {
    return plan.primaryEndpoint() + "/" + (plan.database() == null ? "" : plan.database());
  }

  private static final class Global {
    static final ConnectionBroker INSTANCE =
        new ConnectionBroker(PhysicalConnectionCache.global(), ProbeVerdicts.global());
  }
}
