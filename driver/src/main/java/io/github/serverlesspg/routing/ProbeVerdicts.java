package io.github.serverlesspg.routing;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The probe verdict of every endpoint probed in this process, keyed by the routed endpoint list
 * ({@link ConnectionPlan#probeKey()}): an endpoint is probed once per process, and every later plan for it, whatever
 * its URL parameters or credentials, is made with the verdict. Entries are never dropped: there is one per database
 * endpoint the application reached with {@code mode=auto}, and dropping one would only cost a probe again.
 *
 * <p>The first verdict recorded for an endpoint stands. Racing first connections each probe their own connection;
 * should they disagree (the endpoint changed under them), the later one conforms to the recorded verdict or fails,
 * see the probing connector.
 */
public final class ProbeVerdicts {
  private final ConcurrentHashMap<String, ProbeVerdict> verdicts = new ConcurrentHashMap<>();

  private ProbeVerdicts() {
  }

  /** The verdicts of this process. */
  public static ProbeVerdicts global() {
    return Global.INSTANCE;
  }

  /** A set of its own, for tests. */
  public static ProbeVerdicts isolated() {
    return new ProbeVerdicts();
  }

  /** The verdict for the endpoint, or null when it was not probed yet. */
  public ProbeVerdict get(String probeKey) {
    return verdicts.get(probeKey);
  }

  /** Records {@code verdict} unless one is recorded already; returns the one that stands. */
  public ProbeVerdict record(String probeKey, ProbeVerdict verdict) {
    ProbeVerdict earlier = verdicts.putIfAbsent(probeKey, verdict);
    return earlier != null ? earlier : verdict;
  }

  private static final class Global {
    static final ProbeVerdicts INSTANCE = new ProbeVerdicts();
  }
}
