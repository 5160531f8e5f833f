package io.github.serverlesspg.physical;

import io.github.serverlesspg.util.Log;
import java.util.ArrayList;
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
 */
public final class PhysicalConnectionCache {
  private static final Log LOG = Log.of(PhysicalConnectionCache.class);
  /** Lookups between two sweeps for idle targets: rare enough to cost nothing, frequent enough to bound memory. */
  private static final int SWEEP_INTERVAL = 1_024;

  private final ConcurrentHashMap<Object, PhysicalPool> pools = new ConcurrentHashMap<>();
  /** Serializes pool creation, so that racing first connects to one target create (and announce) one pool. */
  private final ReentrantLock creation = new ReentrantLock();
  /** Racy on purpose: a lost increment only delays a sweep. */
  private int lookups;

  private PhysicalConnectionCache() {
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
    return new PhysicalConnectionCache();
  }

  /** The pool for {@code key} if there is one: the warm path, a plain map lookup. */
  public PhysicalPool existing(Object key) {
    if (++lookups % SWEEP_INTERVAL == 0) {
      dropIdleTargets();
    }
    return pools.get(key);
  }

  /** The pool for {@code key}, created by {@code factory} if there is none. */
  public PhysicalPool pool(Object key, PoolFactory factory) {
    creation.lock();
    try {
      PhysicalPool pool = pools.get(key);
      if (pool == null) {
        dropIdleTargets();
        pool = factory.create();
        pools.put(key, pool);
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

  /** Closes and forgets the pools nobody used during their idle timeout. */
  void dropIdleTargets() {
    for (Map.Entry<Object, PhysicalPool> entry : pools.entrySet()) {
      PhysicalPool pool = entry.getValue();
      if (pool.isIdleTarget() && pools.remove(entry.getKey(), pool)) {
        pool.close("target idle");
        LOG.debug("serverless-pg: dropped idle target {}", pool.target());
      }
    }
  }

  private static final class Global {
    static final PhysicalConnectionCache INSTANCE = createGlobal();

    private static PhysicalConnectionCache createGlobal() {
      PhysicalConnectionCache cache = new PhysicalConnectionCache();
      Runtime.getRuntime().addShutdownHook(new Thread(new Shutdown(cache), "serverless-pg-shutdown"));
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
