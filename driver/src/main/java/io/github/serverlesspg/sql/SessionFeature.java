package io.github.serverlesspg.sql;

/** THROWAWAY STUB of the sql package's API, replaced at merge. */
public enum SessionFeature {
  NONE;

  public String reason() {
    return "";
  }

  public String fix() {
    return "";
  }
}
