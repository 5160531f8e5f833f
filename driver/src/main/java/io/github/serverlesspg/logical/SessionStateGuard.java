package io.github.serverlesspg.logical;

import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.routing.SessionStatePolicy;
import io.github.serverlesspg.sql.SessionFeature;
import io.github.serverlesspg.sql.SessionStateCheck;
import io.github.serverlesspg.sql.SettingChange;
import io.github.serverlesspg.util.BoundedCache;
import io.github.serverlesspg.util.Log;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies the {@code sessionState} policy of transaction mode to SQL that creates session state: logs once per
 * statement shape, refuses with SQLSTATE 0A000, or lets it pass.
 */
final class SessionStateGuard {
  private static final Log LOG = Log.of(SessionStateGuard.class);
  /** Bounds the memory of "already warned": past it, warnings stop rather than grow without limit. */
  private static final int MAX_WARNED_SHAPES = 1_000;
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  /**
   * Results of the lexical check by SQL text: applications run a few hundred distinct statements over and over, and a
   * lookup by an already-hashed string is cheaper than scanning the text again.
   */
  /** By SQL text: 2,000 statements, 4 MiB of text, none above 32 KiB (a huge statement is cheaper to scan again). */
  private static final BoundedCache<String, SessionFeature> FEATURES =
      BoundedCache.forSql(2_000, 4L << 20, 32 << 10);

  private SessionStateGuard() {
  }

  /**
   * Checks {@code sql} in transaction mode.
   *
   * @return the feature found, {@link SessionFeature#NONE} for ordinary SQL
   * @throws SQLException 0A000 when the policy is {@code error} and the SQL creates session state
   */
  static SessionFeature check(String sql, SessionStatePolicy policy) throws SQLException {
    SessionFeature feature = featureOf(sql);
    if (feature == SessionFeature.NONE || policy == SessionStatePolicy.IGNORE) {
      return feature;
    }
    if (policy == SessionStatePolicy.ERROR) {
      throw SqlStates.notSupported(explain(feature) + " (sessionState=error)");
    }
    String shape = feature.name() + ':' + shapeOf(sql);
    if (WARNED.size() < MAX_WARNED_SHAPES && WARNED.add(shape)) {
      LOG.warn("{} Statement: {} (sessionState=warn logs this once per statement shape; sessionState=error refuses "
          + "it)", explain(feature), shapeOf(sql));
    }
    return feature;
  }

  /** The session feature {@code sql} uses, {@link SessionFeature#NONE} for ordinary SQL; cached by text. */
  static SessionFeature featureOf(String sql) {
    if (sql == null) {
      return SessionFeature.NONE;
    }
    SessionFeature feature = FEATURES.get(sql);
    if (feature == null) {
      feature = SessionStateCheck.find(sql);
      FEATURES.put(sql, feature);
    }
    return feature;
  }

  /**
   * How transaction mode runs a raw setting change ({@code SET}, {@code RESET}, {@code set_config(..., false)}) under
   * {@code sessionState=warn}: as its transaction-scoped rewrite, which the handle then keeps and applies to each of
   * its transactions, so the setting works for this handle and never reaches another client of the pooler. Null when
   * the policy is not {@code warn} or the statement cannot be rewritten exactly; the caller then applies
   * {@link #check}.
   */
  static SettingChange emulation(String sql, SessionStatePolicy policy) {
    if (policy != SessionStatePolicy.WARN) {
      return null;
    }
    SessionFeature feature = featureOf(sql);
    if (feature != SessionFeature.SET && feature != SessionFeature.RESET && feature != SessionFeature.SET_CONFIG) {
      return null;
    }
    SettingChange change = SettingChange.parse(sql);
    if (change != null) {
      String shape = "EMULATED:" + shapeOf(sql);
      if (WARNED.size() < MAX_WARNED_SHAPES && WARNED.add(shape)) {
        LOG.warn("Transaction mode cannot keep session state: {}. serverless-pg runs this statement as \"{}\" and "
            + "applies the setting to every later transaction of this connection handle instead, so it never "
            + "reaches another client of the pooler; the handle's close forgets it. To set it for everyone, use "
            + "ALTER ROLE ... SET. Statement: {}", feature.reason(), change.transactionScopedSql(), shapeOf(sql));
      }
    }
    return change;
  }

  static String explain(SessionFeature feature) {
    return "Transaction mode cannot keep session state: " + feature.reason() + ". " + feature.fix() + ".";
  }

  /** The statement with literals replaced, shortened: the same statement with other values has the same shape. */
  private static String shapeOf(String sql) {
    String sanitized = io.github.serverlesspg.sql.QueryDescription.of(sql).sanitizedText();
    return sanitized.length() <= 200 ? sanitized : sanitized.substring(0, 200) + "...";
  }
}
