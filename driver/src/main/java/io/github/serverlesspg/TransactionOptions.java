package io.github.serverlesspg;

import java.sql.Connection;
import java.time.Duration;

/**
 * How {@link ServerlessPg#inTransaction(javax.sql.DataSource, TransactionOptions, ServerlessPg.Work)} runs a unit of
 * work: read-only or not, isolation level, whether the unit is idempotent, and how often and how patiently it is
 * retried. Immutable; every {@code with}-style method returns a copy.
 *
 * <p>Defaults: read-write, the connection's isolation level, not idempotent, at most 5 attempts, backoff with full
 * jitter starting at 20 ms and capped at 1 s.
 */
public final class TransactionOptions {
  private static final TransactionOptions DEFAULTS = new TransactionOptions(false, -1, false, 5,
      Duration.ofMillis(20), Duration.ofSeconds(1));

  private final boolean readOnly;
  private final int isolation;
  private final boolean idempotent;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  private TransactionOptions(boolean readOnly, int isolation, boolean idempotent, int maxAttempts,
      Duration initialBackoff, Duration maxBackoff) {
    this.readOnly = readOnly;
    this.isolation = isolation;
    this.idempotent = idempotent;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  public static TransactionOptions defaults() {
    return DEFAULTS;
  }

  /** A read-only transaction ({@link Connection#setReadOnly}): PostgreSQL refuses writes with 25006. */
  public TransactionOptions readOnly(boolean readOnly) {
    return new TransactionOptions(readOnly, isolation, idempotent, maxAttempts, initialBackoff, maxBackoff);
  }

  /** One of the {@code Connection.TRANSACTION_*} levels other than {@code TRANSACTION_NONE}. */
  public TransactionOptions isolation(int level) {
    if (level != Connection.TRANSACTION_READ_UNCOMMITTED && level != Connection.TRANSACTION_READ_COMMITTED
        && level != Connection.TRANSACTION_REPEATABLE_READ && level != Connection.TRANSACTION_SERIALIZABLE) {
      throw new IllegalArgumentException("isolation must be one of the Connection.TRANSACTION_* levels other than "
          + "TRANSACTION_NONE, got " + level);
    }
    return new TransactionOptions(readOnly, level, idempotent, maxAttempts, initialBackoff, maxBackoff);
  }

  /**
   * Declares that running the unit twice has the same effect as running it once (an upsert, an insert guarded by a
   * unique key with {@code ON CONFLICT DO NOTHING}, ...). Only then is a unit whose commit outcome is unknown
   * (SQLSTATE 08007) run again; otherwise that failure is thrown to the caller, who must find out what happened.
   */
  public TransactionOptions idempotent(boolean idempotent) {
    return new TransactionOptions(readOnly, isolation, idempotent, maxAttempts, initialBackoff, maxBackoff);
  }

  /** Attempts in total, the first included; 1 disables retries. */
  public TransactionOptions maxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1 (1 = no retry), got " + maxAttempts);
    }
    return new TransactionOptions(readOnly, isolation, idempotent, maxAttempts, initialBackoff, maxBackoff);
  }

  /**
   * Backoff before retry {@code n} (1 for the first retry): a uniformly random time between 0 and
   * {@code min(max, initial * 2^(n-1))} ("full jitter"), so that clients that failed together do not retry together.
   */
  public TransactionOptions backoff(Duration initial, Duration max) {
    if (initial == null || max == null || initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 <= initial <= max, got initial=" + initial + ", max="
          + max);
    }
    return new TransactionOptions(readOnly, isolation, idempotent, maxAttempts, initial, max);
  }

  public boolean isReadOnly() {
    return readOnly;
  }

  /** The isolation level to set, or -1 to keep the connection's. */
  public int isolation() {
    return isolation;
  }

  public boolean isIdempotent() {
    return idempotent;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  @Override
  public String toString() {
    return "TransactionOptions[readOnly=" + readOnly + ", isolation=" + isolation + ", idempotent=" + idempotent
        + ", maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff.toMillis() + ".." + maxBackoff.toMillis()
        + " ms]";
  }
}
