package io.github.serverlesspg.routing;

/** What transaction mode does with SQL that creates session state (property {@code sessionState}). */
public enum SessionStatePolicy {
  /** Log once per statement shape with the reason and the fix, then run the statement. */
  WARN,
  /** Refuse the statement with SQLSTATE 0A000 and the same explanation. */
  ERROR,
  /** Run the statement without a word. */
  IGNORE
}
