package io.github.serverlesspg.sql;

/** THROWAWAY STUB of the sql package's API, replaced at merge. */
public final class SessionStateCheck {
  private SessionStateCheck() {
  }

  public static SessionFeature find(String sql) {
    return SessionFeature.NONE;
  }
}
