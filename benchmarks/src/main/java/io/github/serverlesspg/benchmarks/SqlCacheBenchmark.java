package io.github.serverlesspg.benchmarks;

import io.github.serverlesspg.util.BoundedCache;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The driver's SQL-text caches ({@link BoundedCache#forSql}, as the session-state guard and the query tracer build
 * them): hit rate of 200 hot statements when a share of the traffic is one-off SQL (inlined literals), and the cost
 * of a lookup-or-insert. The hit rate is reported as JMH auxiliary counters: {@code hotHits} and {@code hotMisses}
 * count lookups of the hot statements only, {@code oneOffs} the noise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SqlCacheBenchmark {
  private static final int HOT = 200;
  private static final int ONE_OFF_POOL = 1 << 16;
  private static final Object VALUE = new Object();

  @State(Scope.Benchmark)
  public static class Workload {
    /** Percent of lookups that are one-off SQL. */
    @Param({"1", "25"})
    public int oneOffPercent;

    BoundedCache<String, Object> cache;
    String[] hot;
    String[] oneOffs;
    final AtomicInteger nextOneOff = new AtomicInteger();

    @Setup(Level.Trial)
    public void fill() {
      cache = BoundedCache.forSql(2_000, 4L << 20, 32 << 10);
      hot = new String[HOT];
      for (int i = 0; i < HOT; i++) {
        hot[i] = "select o.id, o.status, o.total from orders o where o.customer_id = ? and o.kind = " + i;
      }
      oneOffs = new String[ONE_OFF_POOL];
      for (int i = 0; i < ONE_OFF_POOL; i++) {
        oneOffs[i] = "select * from orders where id = " + (1_000_000_000L + i);
      }
    }
  }

  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class HitRate {
    public long hotHits;
    public long hotMisses;
    public long oneOffs;
  }

  /** One statement's cache step: look up its text, describe and insert it on a miss. */
  @Benchmark
  public Object lookupOrInsert(Workload workload, HitRate counters) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    boolean oneOff = random.nextInt(100) < workload.oneOffPercent;
    String sql = oneOff
        ? workload.oneOffs[workload.nextOneOff.getAndIncrement() & (ONE_OFF_POOL - 1)]
        : workload.hot[random.nextInt(HOT)];
    Object value = workload.cache.get(sql);
    if (value == null) {
      workload.cache.put(sql, VALUE);
      value = VALUE;
      if (!oneOff) {
        counters.hotMisses++;
      }
    } else if (!oneOff) {
      counters.hotHits++;
    }
    if (oneOff) {
      counters.oneOffs++;
    }
    return value;
  }

  @State(Scope.Thread)
  public static class Inserts {
    BoundedCache<String, Object> cache;
    String[] keys;
    int next;

    @Setup(Level.Iteration)
    public void fill() {
      cache = BoundedCache.forSql(2_000, 4L << 20, 32 << 10);
      keys = new String[ONE_OFF_POOL];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = "insert into events values (" + (1_000_000_000L + i) + ")";
      }
      for (int i = 0; i < 2_000; i++) {
        cache.put("warm " + i, VALUE);
      }
      next = 0;
    }
  }

  /** An insert into a full cache: every one evicts. */
  @Benchmark
  public BoundedCache<String, Object> insertIntoFullCache(Inserts inserts) {
    inserts.cache.put(inserts.keys[inserts.next++ & (ONE_OFF_POOL - 1)], VALUE);
    return inserts.cache;
  }
}
