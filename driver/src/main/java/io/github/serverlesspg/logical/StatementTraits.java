package io.github.serverlesspg.logical;

import io.github.serverlesspg.sql.SessionFeature;
import io.github.serverlesspg.sql.SessionStateCheck;
import io.github.serverlesspg.sql.StatementKind;
import java.sql.SQLException;
import org.postgresql.core.Parser;

/**
 * What the lexical checks found in one SQL text: the session state it creates and what it does to the transaction.
 * Cached by text ({@link SessionStateGuard#traits}), so a statement that runs again is not scanned again.
 */
final class StatementTraits {
  /** Ordinary SQL, by far the most common: shared, so that caching it allocates nothing. */
  static final StatementTraits ORDINARY = new StatementTraits(SessionFeature.NONE, StatementKind.ORDINARY, true);
  /** Ordinary SQL the settings cannot be sent in front of ({@link #fusable} false): shared too. */
  static final StatementTraits ORDINARY_NOT_FUSABLE =
      new StatementTraits(SessionFeature.NONE, StatementKind.ORDINARY, false);

  final SessionFeature feature;
  final StatementKind kind;
  /**
   * Whether a prologue sent in front of the text in the same execution runs in the same transaction as all of it and
   * adds exactly one result in front of its own (see {@link TransactionModeSession}): exactly one statement, both to
   * the lexer and to pgjdbc's parser (which splits the text it sends, and in a few malformed texts differently from
   * PostgreSQL, such as {@code /}{@code *}{@code /}), and not procedure code ({@code CALL}, {@code DO}), which may
   * commit in the middle and so end the prologue's settings early.
   */
  final boolean fusable;

  private StatementTraits(SessionFeature feature, StatementKind kind, boolean fusable) {
    this.feature = feature;
    this.kind = kind;
    this.fusable = fusable;
  }

  static StatementTraits of(String sql) {
    SessionFeature feature = SessionStateCheck.find(sql);
    StatementKind kind = StatementKind.of(sql);
    boolean fusable = StatementKind.isOneStatement(sql) && !StatementKind.mayEndItsTransaction(sql)
        && pgjdbcSendsOneStatement(sql);
    if (feature == SessionFeature.NONE && kind == StatementKind.ORDINARY) {
      return fusable ? ORDINARY : ORDINARY_NOT_FUSABLE;
    }
    return new StatementTraits(feature, kind, fusable);
  }

  /**
   * Whether pgjdbc sends {@code sql} as one statement when a Statement executes it (standard-conforming strings, as
   * the session requires). An API of pgjdbc's core, stable across 42.7.x: should it change, nothing is fused.
   */
  private static boolean pgjdbcSendsOneStatement(String sql) {
    try {
      return Parser.parseJdbcSql(sql, true, false, true, false, true).size() == 1;
    } catch (SQLException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Whether the transaction-mode session has anything to do for this statement beyond applying its settings. */
  boolean isSpecial() {
    return feature != SessionFeature.NONE || kind != StatementKind.ORDINARY;
  }
}
