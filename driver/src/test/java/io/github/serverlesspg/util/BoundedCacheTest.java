package io.github.serverlesspg.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {

  /** 8 threads inserting 20,000 distinct texts each (the old cache grew to 119,108 entries of 1,000 this way). */
  @Test
  void entriesAndBytesStayBoundedUnderConcurrentInserts() throws Exception {
    BoundedCache<String, Object> cache = BoundedCache.forSql(1_000, 256 << 10, 8 << 10);
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicInteger largestSeen = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(executor.submit(() -> {
        start.await();
        for (int i = 0; i < 20_000; i++) {
          String sql = "select * from t where id = " + thread + "_" + i + " /* " + "x".repeat(i % 200) + " */";
          if (cache.get(sql) == null) {
            cache.put(sql, Boolean.TRUE);
          }
          largestSeen.accumulateAndGet(cache.size(), Math::max);
        }
        return null;
      }));
    }
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    executor.shutdown();
    assertThat(largestSeen.get()).isLessThanOrEqualTo(1_000);
    assertThat(cache.size()).isLessThanOrEqualTo(1_000);
    assertThat(cache.weight()).isLessThanOrEqualTo(256 << 10);
  }

  @Test
  void textsAboveTheEntryLimitAreNotCached() {
    BoundedCache<String, Object> cache = BoundedCache.forSql(100, 1 << 20, 32 << 10);
    String huge = "select '" + "x".repeat(100_000) + "'";
    cache.put(huge, Boolean.TRUE);
    assertThat(cache.get(huge)).isNull();
    assertThat(cache.size()).isZero();
    cache.put("select 1", Boolean.TRUE);
    assertThat(cache.get("select 1")).isEqualTo(Boolean.TRUE);
  }

  /** 200 hot statements, a quarter of the traffic one-off SQL: the hot set stays cached (target: 95% hits). */
  @Test
  void aHotSetSurvivesOneOffNoise() {
    BoundedCache<String, Object> cache = BoundedCache.forSql(1_000, 4 << 20, 32 << 10);
    Random random = new Random(42);
    long hotLookups = 0;
    long hotHits = 0;
    int oneOff = 0;
    for (int i = 0; i < 400_000; i++) {
      boolean noise = random.nextInt(100) < 25;
      String sql = noise ? "select * from t where id = " + (oneOff++) : "select * from hot where k = " + random.nextInt(200);
      Object value = cache.get(sql);
      if (value == null) {
        cache.put(sql, Boolean.TRUE);
      }
      if (!noise && i >= 10_000) { // after warm-up
        hotLookups++;
        if (value != null) {
          hotHits++;
        }
      }
    }
    assertThat((double) hotHits / hotLookups).isGreaterThanOrEqualTo(0.95);
  }
}
