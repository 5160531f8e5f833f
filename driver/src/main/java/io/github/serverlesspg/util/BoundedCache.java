package io.github.serverlesspg.util;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map that never holds more than a fixed number of entries, for values that are cheap to compute again
 * (plans, SQL descriptions). When full, an arbitrary entry makes room: applications use a few hundred distinct
 * URLs and statements, so the bound only guards against unbounded growth (SQL with inlined literals), not against a
 * working set it should keep.
 *
 * <p>This replaces a caching library on purpose: loading one costs a cold start tens of milliseconds of class
 * loading, more than this whole class could ever save (see docs/benchmarks.md).
 */
public final class BoundedCache<K, V> {
  private final ConcurrentHashMap<K, V> entries;
  private final int maximumSize;

  public BoundedCache(int maximumSize) {
    this.maximumSize = maximumSize;
    this.entries = new ConcurrentHashMap<>(Math.min(maximumSize, 64));
  }

  /** The value for {@code key}, or null. */
  public V get(K key) {
    return entries.get(key);
  }

  /** Remembers {@code value} for {@code key}, first making room if the cache is full. */
  public void put(K key, V value) {
    if (entries.size() >= maximumSize) {
      Iterator<K> keys = entries.keySet().iterator();
      if (keys.hasNext()) {
        keys.next();
        keys.remove();
      }
    }
    entries.put(key, value);
  }

  public int size() {
    return entries.size();
  }
}
