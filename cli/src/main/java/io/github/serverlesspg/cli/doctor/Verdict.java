package io.github.serverlesspg.cli.doctor;

import java.util.Locale;

/** How one step or checklist item turned out. Only {@link #FAIL} makes the doctor exit with "problems". */
public enum Verdict {
  /** As it should be. */
  OK,
  /** A fact, or a setting that is fine where the doctor ran but worth knowing. */
  INFO,
  /** Works, but a recommended practice is missing; the report says what to change. */
  WARN,
  /** Will break (errors, refused connections) or is unsafe; the report says what to change. */
  FAIL;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
