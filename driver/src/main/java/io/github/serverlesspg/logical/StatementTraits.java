package io.github.serverlesspg.logical;

import io.github.serverlesspg.sql.SessionFeature;
import io.github.serverlesspg.sql.SessionStateCheck;
import io.github.serverlesspg.sql.StatementKind;

/**
 * What the lexical checks found in one SQL text: the session state it creates and what it does to the transaction.
 * Cached by text ({@link SessionStateGuard#traits}), so a statement that runs again is not scanned again.
 */
final class StatementTraits {
  /** Ordinary SQL, by far the most common: shared, so that caching it allocates nothing. */
  static final StatementTraits ORDINARY = new StatementTraits(SessionFeature.NONE, StatementKind.ORDINARY);

  final SessionFeature feature;
  final StatementKind kind;

  private StatementTraits(SessionFeature feature, StatementKind kind) {
    this.feature = feature;
    this.kind = kind;
  }

  static StatementTraits of(String sql) {
    SessionFeature feature = SessionStateCheck.find(sql);
    StatementKind kind = StatementKind.of(sql);
    return feature == SessionFeature.NONE && kind == StatementKind.ORDINARY
        ? ORDINARY : new StatementTraits(feature, kind);
  }

  /** Whether the transaction-mode session has anything to do for this statement beyond applying its settings. */
  boolean isSpecial() {
    return this != ORDINARY;
  }
}
