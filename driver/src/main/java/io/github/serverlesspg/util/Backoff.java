package io.github.serverlesspg.util;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: before retry {@code n} wait a uniformly random time between 0 and
 * {@code min(max, initial * 2^(n-1))}. The randomness spreads clients that failed at the same moment (a pooler
 * restart fails every instance at once) so they do not all come back at the same moment either.
 */
public final class Backoff {
  private Backoff() {
  }

  /**
   * @param retry 1 for the first retry
   * @return nanoseconds to wait, 0 to {@code maxNanos}
   */
  public static long fullJitterNanos(int retry, long initialNanos, long maxNanos) {
    if (initialNanos <= 0 || maxNanos <= 0) {
      return 0;
    }
    int shift = Math.min(Math.max(retry - 1, 0), 30);
    long ceiling = initialNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, initialNanos << shift);
    return ThreadLocalRandom.current().nextLong(ceiling + 1);
  }
}
