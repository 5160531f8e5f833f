package io.github.serverlesspg.physical;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide registry of {@link PhysicalPool}s, one per cache key. Created on the first connect (never at
 * driver registration); from then on a JVM shutdown hook closes idle connections cleanly at exit and, when
 * {@code org.crac} is on the class path, a CRaC resource closes them before a checkpoint (an open socket aborts a
 * SnapStart or CRaC checkpoint) so that the first connect after restore opens fresh ones.
 *
 * <p>A target's whole entry is dropped once it has not been asked for during its idle timeout (Caffeine evicts it
 * during later cache operations, on the calling thread: the driver starts no threads of its own).
 */
public final class PhysicalConnectionCache {
  private static final Logger LOG = LoggerFactory.getLogger(PhysicalConnectionCache.class);

  private final Cache<String, PhysicalPool> pools = Caffeine.newBuilder()
      .executor(Runnable::run)
      .expireAfter(new IdleTargetExpiry())
      .removalListener((String key, PhysicalPool pool, RemovalCause cause) -> {
        if (pool != null && cause != RemovalCause.EXPLICIT) {
          pool.close("target idle");
        }
      })
      .build();

  private PhysicalConnectionCache() {
  }

  /** The registry of this process, created (with its exit and checkpoint hooks) on first use. */
  public static PhysicalConnectionCache global() {
    return Global.INSTANCE;
  }

  /** A registry of its own, without hooks, for tests. */
  public static PhysicalConnectionCache isolated() {
    return new PhysicalConnectionCache();
  }

  /** The pool for {@code key} if there is one: the warm path, without allocating a factory. */
  public PhysicalPool existing(String key) {
    return pools.getIfPresent(key);
  }

  /** The pool for {@code key}, created by {@code factory} on first use. */
  public PhysicalPool pool(String key, Function<String, PhysicalPool> factory) {
    return pools.get(key, factory);
  }

  /** Forgets a pool that turned out to be closed, so that the next {@link #pool} call creates a new one. */
  public void forget(String key, PhysicalPool pool) {
    pools.asMap().remove(key, pool);
  }

  /** Every pool now registered. */
  public List<PhysicalPool> pools() {
    return new ArrayList<>(pools.asMap().values());
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
    pools.invalidateAll();
    for (PhysicalPool pool : all) {
      pool.close(reason);
    }
  }

  /** Expires a target after its own idle timeout since it was last asked for; never when the timeout is 0. */
  private static final class IdleTargetExpiry implements Expiry<String, PhysicalPool> {
    @Override
    public long expireAfterCreate(String key, PhysicalPool pool, long currentTime) {
      long idle = pool.settings().idleTimeoutMillis();
      return idle <= 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(idle);
    }

    @Override
    public long expireAfterUpdate(String key, PhysicalPool pool, long currentTime, long currentDuration) {
      return expireAfterCreate(key, pool, currentTime);
    }

    @Override
    public long expireAfterRead(String key, PhysicalPool pool, long currentTime, long currentDuration) {
      return expireAfterCreate(key, pool, currentTime);
    }
  }

  private static final class Global {
    static final PhysicalConnectionCache INSTANCE = createGlobal();

    private static PhysicalConnectionCache createGlobal() {
      PhysicalConnectionCache cache = new PhysicalConnectionCache();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> cache.closeAll("shutdown"),
          "serverless-pg-shutdown"));
      if (CheckpointSupport.isAvailable()) {
        CheckpointSupport.register(cache);
        LOG.debug("Registered a CRaC resource: idle connections close before a checkpoint");
      }
      return cache;
    }
  }
}
