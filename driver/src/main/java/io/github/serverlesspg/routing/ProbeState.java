package io.github.serverlesspg.routing;

import java.sql.SQLException;

/**
 * The probe side of a plan made by {@code mode=auto} for an endpoint no rule recognises: which endpoint the verdict
 * belongs to, the verdict once known and, while it is not, the two plans it chooses between.
 */
final class ProbeState {
  final String key;
  /** Null while the endpoint was not probed. */
  final ProbeVerdict verdict;
  /** The plan if the endpoint is a pooler; null (and {@link #poolerFailure} set) when that plan cannot be made. */
  final ConnectionPlan whenPooler;
  /** Why no transaction-mode plan can be made (an {@code options} setting a pooler rejects), or null. */
  final SQLException poolerFailure;
  /** The plan if the endpoint is PostgreSQL itself. */
  final ConnectionPlan whenDirect;
  /**
   * Whether the probe connection, opened pooler-safe, can serve as a direct one once its prepare threshold is back:
   * true unless the direct form sends startup parameters the probe connection went without ({@code currentSchema},
   * {@code options}) or a setting fixed at connect time ({@code readOnlyMode=always}).
   */
  final boolean probeConnectionFitsDirect;

  /** For a plan whose verdict is known. */
  ProbeState(String key, ProbeVerdict verdict) {
    this(key, verdict, null, null, null, false);
  }

  /** For a plan awaiting its probe. */
  ProbeState(String key, ProbeVerdict verdict, ConnectionPlan whenPooler, SQLException poolerFailure,
      ConnectionPlan whenDirect, boolean probeConnectionFitsDirect) {
    this.key = key;
    this.verdict = verdict;
    this.whenPooler = whenPooler;
    this.poolerFailure = poolerFailure;
    this.whenDirect = whenDirect;
    this.probeConnectionFitsDirect = probeConnectionFitsDirect;
  }
}
