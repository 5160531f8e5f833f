package io.github.serverlesspg.testsupport;

import java.util.Locale;

/** PgBouncer {@code pool_mode}. */
public enum PoolMode {
  /** A server connection is held only for the duration of a transaction: the mode serverless apps must use. */
  TRANSACTION,
  /** A server connection is held for the whole client connection. */
  SESSION;

  String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
