package io.github.serverlesspg.logical;

import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.routing.SessionStatePolicy;
import io.github.serverlesspg.sql.SessionFeature;
import io.github.serverlesspg.sql.SettingChange;
import io.github.serverlesspg.util.BoundedCache;
import io.github.serverlesspg.util.Log;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies the {@code sessionState} policy of transaction mode to SQL that creates session state it cannot emulate:
 * refuses it with SQLSTATE 0A000 ({@code error}, the default), logs once per statement shape and runs it
 * ({@code warn}), or runs it silently ({@code ignore}). Raw setting changes are emulated instead under {@code error}
 * and {@code warn} ({@link #emulation}).
 */
final class SessionStateGuard {
  private static final Log LOG = Log.of(SessionStateGuard.class);
  /** Bounds the memory of "already warned": past it, warnings stop rather than grow without limit. */
  private static final int MAX_WARNED_SHAPES = 1_000;
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  /**
   * Results of the lexical checks by SQL text: applications run a few hundred distinct statements over and over, and a
   * lookup by an already-hashed string is cheaper than scanning the text again. 2,000 statements, 4 MiB of text, none
   * above 32 KiB (a huge statement is cheaper to scan again).
   */
  private static final BoundedCache<String, StatementTraits> TRAITS =
      BoundedCache.forSql(2_000, 4L << 20, 32 << 10);

  private SessionStateGuard() {
  }

  /** What the lexical checks find in {@code sql}; cached by text. */
  static StatementTraits traits(String sql) {
    if (sql == null) {
      return StatementTraits.ORDINARY;
    }
    StatementTraits traits = TRAITS.get(sql);
    if (traits == null) {
      traits = StatementTraits.of(sql);
      TRAITS.put(sql, traits);
    }
    return traits;
  }

  /** The session feature {@code sql} uses, {@link SessionFeature#NONE} for ordinary SQL; cached by text. */
  static SessionFeature featureOf(String sql) {
    return traits(sql).feature;
  }

  /**
   * Checks SQL that creates session state transaction mode does not emulate.
   *
   * @throws SQLException 0A000 when the policy is {@code error}
   */
  static void check(String sql, SessionFeature feature, SessionStatePolicy policy) throws SQLException {
    if (feature == SessionFeature.NONE || policy == SessionStatePolicy.IGNORE) {
      return;
    }
    if (policy == SessionStatePolicy.ERROR) {
      throw SqlStates.notSupported(explain(feature) + " (refused by sessionState=error, the default)");
    }
    String shape = SettingChange.logShape(sql);
    if (WARNED.size() < MAX_WARNED_SHAPES && WARNED.add(feature.name() + ':' + shape)) {
      LOG.warn("{} It runs anyway (sessionState=warn), and the state stays on the pooler's server connection for "
          + "whichever client gets it next; the default sessionState=error refuses it. Statement: {}",
          explain(feature), shorten(shape));
    }
  }

  /**
   * How transaction mode runs a raw setting change ({@code SET}, {@code RESET}, {@code set_config(..., false)}): as
   * its transaction-scoped rewrite, which the handle then keeps and applies to each of its transactions, so the setting
   * works for this handle and never reaches another client of the pooler. Null when the policy is {@code ignore} or
   * the statement cannot be rewritten exactly; the caller then applies {@link #check}.
   */
  static SettingChange emulation(String sql, SessionFeature feature, SessionStatePolicy policy) {
    if (policy == SessionStatePolicy.IGNORE
        || (feature != SessionFeature.SET && feature != SessionFeature.RESET && feature != SessionFeature.SET_CONFIG)) {
      return null;
    }
    return SettingChange.parse(sql);
  }

  static String explain(SessionFeature feature) {
    return "Transaction mode cannot keep session state: " + feature.reason() + ". " + feature.fix() + ".";
  }

  private static String shorten(String shape) {
    return shape.length() <= 200 ? shape : shape.substring(0, 200) + "...";
  }
}
