package io.github.serverlesspg.util;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A concurrent cache of values that are cheap to compute again (plans, SQL descriptions), bounded by entries and,
 * for SQL text, by bytes, under any concurrency. Eviction is CLOCK (second chance): a lookup sets a reference bit
 * (only if it is not set, so hits write nothing in the steady state), and an insert into a full cache sweeps a hand
 * over the entries, clearing set bits and evicting the first entry whose bit is clear. Entries used since the hand
 * last passed survive, so a hot working set stays cached while one-off SQL (inlined literals) comes and goes.
 *
 * <p>Lookups take no lock. Inserts take a {@link ReentrantLock}: they happen only on a miss, and the lock is what
 * makes the bounds hold however many threads insert at once. Texts heavier than the per-entry limit are not cached
 * at all.
 *
 * <p>This replaces a caching library on purpose: Caffeine's W-TinyLFU would keep a hot set as well, but loading it
 * costs a cold start tens of milliseconds of class loading, and this is enough for the hit rate the driver needs
 * (see docs/benchmarks.md, "SQL-text caches").
 */
public final class BoundedCache<K, V> {
  /** The weight of a key, in bytes of memory it keeps alive. */
  public interface Weigher<K> {
    int weigh(K key);
  }

  /** Per-entry overhead beyond the text: the map entry, the node and the value's own small objects, roughly. */
  private static final int ENTRY_OVERHEAD_BYTES = 96;

  private final ConcurrentHashMap<K, Node<K, V>> entries;
  private final int maximumSize;
  private final long maximumWeight;
  private final int maximumEntryWeight;
  private final Weigher<K> weigher;
  private final ReentrantLock lock = new ReentrantLock();
  private final Node<K, V>[] clock;
  /** Indexes of empty slots of {@link #clock}, a stack: an insert takes one in constant time. */
  private final int[] free;
  private int freeCount;
  private int hand;
  private int size;
  private long weight;

  /** A cache of at most {@code maximumSize} entries, whatever their weight. */
  public BoundedCache(int maximumSize) {
    this(maximumSize, Long.MAX_VALUE, Integer.MAX_VALUE, null);
  }

  @SuppressWarnings("unchecked")
  private BoundedCache(int maximumSize, long maximumWeight, int maximumEntryWeight, Weigher<K> weigher) {
    if (maximumSize < 1) {
      throw new IllegalArgumentException("maximumSize must be at least 1");
    }
    this.maximumSize = maximumSize;
    this.maximumWeight = maximumWeight;
    this.maximumEntryWeight = (int) Math.min(maximumEntryWeight, maximumWeight);
    this.weigher = weigher;
    this.entries = new ConcurrentHashMap<>(Math.min(maximumSize, 64));
    this.clock = new Node[maximumSize];
    this.free = new int[maximumSize];
    for (int i = 0; i < maximumSize; i++) {
      free[i] = maximumSize - 1 - i; // slot 0 on top
    }
    this.freeCount = maximumSize;
  }

  /**
   * A cache keyed by SQL text: at most {@code maximumSize} entries and {@code maximumBytes} of text, and no text
   * heavier than {@code maximumEntryBytes} (a huge statement is cheaper to describe again than to keep).
   */
  public static <V> BoundedCache<String, V> forSql(int maximumSize, long maximumBytes, int maximumEntryBytes) {
    return new BoundedCache<>(maximumSize, maximumBytes, maximumEntryBytes, SqlWeigher.INSTANCE);
  }

  /** Two bytes per char (the worst case of a compact string) plus the entry's overhead. */
  private static final class SqlWeigher implements Weigher<String> {
    static final SqlWeigher INSTANCE = new SqlWeigher();

    @Override
    public int weigh(String key) {
      return (int) Math.min(Integer.MAX_VALUE, 2L * key.length() + ENTRY_OVERHEAD_BYTES);
    }
  }

  /** The value for {@code key}, or null. */
  public V get(K key) {
    Node<K, V> node = entries.get(key);
    if (node == null) {
      return null;
    }
    if (!node.referenced) {
      node.referenced = true;
    }
    return node.value;
  }

  /** Remembers {@code value} for {@code key}, first evicting what is needed to stay within the bounds. */
  public void put(K key, V value) {
    int entryWeight = weigher == null ? 0 : weigher.weigh(key);
    if (entryWeight > maximumEntryWeight) {
      return;
    }
    Node<K, V> node = new Node<>(key, value, entryWeight);
    lock.lock();
    try {
      if (entries.containsKey(key)) {
        return; // another thread computed it too; the first value stays
      }
      while (size >= maximumSize || weight + entryWeight > maximumWeight) {
        advance();
      }
      clock[free[--freeCount]] = node;
      size++;
      weight += entryWeight;
      entries.put(key, node);
    } finally {
      lock.unlock();
    }
  }

  public int size() {
    return entries.size();
  }

  /** Weight of the entries now cached, in bytes (0 for a cache without a weigher). */
  public long weight() {
    lock.lock();
    try {
      return weight;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: one step of the hand, evicting the entry under it unless it was used since the last pass. */
  private void advance() {
    Node<K, V> node = clock[hand];
    if (node != null) {
      if (node.referenced) {
        node.referenced = false;
      } else {
        clock[hand] = null;
        free[freeCount++] = hand;
        entries.remove(node.key, node);
        size--;
        weight -= node.weight;
      }
    }
    hand = next(hand);
  }

  private int next(int index) {
    return index + 1 == clock.length ? 0 : index + 1;
  }

  private static final class Node<K, V> {
    final K key;
    final V value;
    final int weight;
    /** Set by lookups, cleared by the hand; racy on purpose: a lost update only changes which entry goes. */
    volatile boolean referenced;

    Node(K key, V value, int weight) {
      this.key = key;
      this.value = value;
      this.weight = weight;
    }
  }
}
