package io.github.serverlesspg.physical;

import io.github.serverlesspg.config.ProcessBounds;
import io.github.serverlesspg.util.Log;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The process-wide registry of {@link PhysicalPool}s, one per cache key (a value with structural equality, such as
 * the routing layer's pool key). Created on the first connect (never at
 * driver registration); from then on a JVM shutdown hook closes idle connections cleanly at exit and, when
 * {@code org.crac} is on the class path, a CRaC resource closes them before a checkpoint (an open socket aborts a
 * SnapStart or CRaC checkpoint) so that the first connect after restore opens fresh ones.
 *
 * <p>A target's whole entry is dropped once nobody has used it during its idle timeout. Nothing runs in the
 * background (the driver starts no threads of its own): every {@value #SWEEP_INTERVAL}th lookup, and every creation
 * of a pool, looks for such targets.
 *
 * <p>Bounded process-wide: at most {@code maxIdleConnections} physical connections held idle across all targets
 * and at most {@code maxPools} pools (see {@link ProcessBounds}; 50 and 100 by default). Past either bound, the pools
 * nobody is using (no connection lent out, nobody waiting) are closed, least recently used first, so that many
 * distinct property sets (an {@code ApplicationName} per request, say) cannot exhaust the pooler's client slots.
 * Checked whenever a pool is created and at every sweep.
 */
public final class PhysicalConnectionCache {
  private static final Log LOG = Log.of(PhysicalConnectionCache.class);
  /** Lookups between two sweeps for idle targets: rare enough to cost nothing, frequent enough to bound memory. */
  private static final int SWEEP_INTERVAL = 1_024;

  private final ConcurrentHashMap<Object, PhysicalPool> pools = new ConcurrentHashMap<>();
  /** Written under {@link #creation}, by the configuration whose pool is created; read by sweeps. */
  private volatile ProcessBounds bounds;
  /** Serializes pool creation, so that racing first connects to one target create (and announce) one pool. */
  private final ReentrantLock creation = new ReentrantLock();
  /** Racy on purpose: a lost increment only delays a sweep. */
  private int lookups;

  private PhysicalConnectionCache(ProcessBounds bounds) {
    this.bounds = bounds;
  }

  /** Creates the pool of a target that has none yet. */
  public interface PoolFactory {
    PhysicalPool create();
  }

  /** The registry of this process, created (with its exit and checkpoint hooks) on first use. */
  public static PhysicalConnectionCache global() {
    return Global.INSTANCE;
  }

  /** A registry of its own, without hooks, for tests. */
  public static PhysicalConnectionCache isolated() {
    return new PhysicalConnectionCache(ProcessBounds.DEFAULT);
  }

  /** A registry of its own with other bounds, for tests of eviction. */
  static PhysicalConnectionCache isolated(int maxIdleConnections, int maxPools) {
    return new PhysicalConnectionCache(new ProcessBounds(maxIdleConnections, maxPools));
  }

  /** The pool for {@code key} if there is one: the warm path, a plain map lookup. */
  public PhysicalPool existing(Object key) {
    if (++lookups % SWEEP_INTERVAL == 0) {
      dropIdleTargets();
    }
    return pools.get(key);
  }

  /** The pool for {@code key}, created by {@code factory} if there is none; the cache keeps its current bounds. */
  public PhysicalPool pool(Object key, PoolFactory factory) {
    return pool(key, factory, null);
  }

  /**
   * The pool for {@code key}, created by {@code factory} if there is none. Creating one applies {@code newBounds}
   * (unless null): the process-wide bounds as the configuration being connected read them.
   */
  public PhysicalPool pool(Object key, PoolFactory factory, ProcessBounds newBounds) {
    creation.lock();
    try {
      PhysicalPool pool = pools.get(key);
      if (pool == null) {
        if (newBounds != null) {
          bounds = newBounds;
        }
        dropIdleTargets();
        pool = factory.create();
        pools.put(key, pool);
        enforceBounds(pool);
      }
      return pool;
    } finally {
      creation.unlock();
    }
  }

  /** Forgets a pool that turned out to be closed, so that the next {@link #pool} call creates a new one. */
  public void forget(Object key, PhysicalPool pool) {
    pools.remove(key, pool);
  }

  /** Every pool now registered. */
  public List<PhysicalPool> pools() {
    return new ArrayList<>(pools.values());
  }

  /** Closes every idle physical connection; borrowed ones close when released. */
  public void closeIdle(String reason) {
    for (PhysicalPool pool : pools()) {
      pool.closeIdle(reason);
    }
  }

  /** Closes every pool and forgets them all. */
  public void closeAll(String reason) {
    List<PhysicalPool> all = pools();
    pools.clear();
    for (PhysicalPool pool : all) {
      pool.close(reason);
    }
  }

  /** Closes and forgets the pools nobody used during their idle timeout; reclaims abandoned handles. */
  void dropIdleTargets() {
    for (Map.Entry<Object, PhysicalPool> entry : pools.entrySet()) {
      PhysicalPool pool = entry.getValue();
      pool.reclaimAbandoned();
      if (pool.isIdleTarget() && pools.remove(entry.getKey(), pool)) {
        pool.close("target idle");
        LOG.debug("serverless-pg: dropped idle target {}", pool.target());
      }
    }
    enforceBounds(null);
  }

  /**
   * Closes unused pools, least recently used first, until at most {@code maxPools} pools and
   * {@code maxIdleConnections} idle connections remain (or no unused pool is left). Never closes {@code keep}, the
   * pool just created for a caller.
   */
  private void enforceBounds(PhysicalPool keep) {
    ProcessBounds current = bounds;
    int maxPools = current.maxPools();
    int maxIdleConnections = current.maxIdleConnections();
    // A pool just created is about to lend a connection that comes back idle: count it now, so that the bound holds
    // after that release too, without a check on the release path.
    int idle = keep == null ? 0 : 1;
    for (PhysicalPool pool : pools.values()) {
      idle += pool.idleCount();
    }
    if (pools.size() <= maxPools && idle <= maxIdleConnections) {
      return;
    }
    List<Map.Entry<Object, PhysicalPool>> unused = new ArrayList<>();
    for (Map.Entry<Object, PhysicalPool> entry : pools.entrySet()) {
      if (entry.getValue() != keep && entry.getValue().isUnused()) {
        unused.add(entry);
      }
    }
    unused.sort(Comparator.comparingLong(entry -> entry.getValue().lastActivityNanos()));
    for (Map.Entry<Object, PhysicalPool> entry : unused) {
      if (pools.size() <= maxPools && idle <= maxIdleConnections) {
        return;
      }
      PhysicalPool pool = entry.getValue();
      int poolIdle = pool.idleCount();
      if (pools.remove(entry.getKey(), pool)) {
        idle -= poolIdle;
        pool.close("evicted (process-wide bound)");
        LOG.debug("serverless-pg: closed the least recently used idle pool of {}", pool.target());
      }
    }
  }

  /**
   * For an application being undeployed (a webapp reload): closes every pool of the process and removes the exit
   * hook, which would otherwise keep the driver's class loader reachable until the JVM exits. Does nothing if no
   * connection was ever opened.
   */
  public static void shutdownGlobal() {
    Thread hook = globalHook;
    if (hook == null) {
      return;
    }
    Global.INSTANCE.closeAll("driver shut down");
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException exiting) {
      // The JVM is exiting: the hook runs anyway.
    }
    globalHook = null;
  }

  /** The exit hook of the process-wide registry, once it exists. */
  private static volatile Thread globalHook;

  private static final class Global {
    static final PhysicalConnectionCache INSTANCE = createGlobal();

    private static PhysicalConnectionCache createGlobal() {
      PhysicalConnectionCache cache = new PhysicalConnectionCache(ProcessBounds.DEFAULT);
      Thread hook = new Thread(new Shutdown(cache), "serverless-pg-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      globalHook = hook;
      if (CheckpointSupport.isAvailable()) {
        CheckpointSupport.register(cache);
        LOG.debug("Registered a CRaC resource: idle connections close before a checkpoint");
      }
      return cache;
    }
  }

  /** The exit hook; a class rather than a lambda, which would cost the cold path a lambda bootstrap. */
  private static final class Shutdown implements Runnable {
    private final PhysicalConnectionCache cache;

    Shutdown(PhysicalConnectionCache cache) {
      this.cache = cache;
    }

    @Override
    public void run() {
      cache.closeAll("shutdown");
    }
  }
}
