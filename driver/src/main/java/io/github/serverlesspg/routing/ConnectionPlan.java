package io.github.serverlesspg.routing;

import io.github.serverlesspg.config.Secrets;
import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Everything the driver decided for one URL and set of properties: the mode and why, the platform and provider, the
 * endpoint actually connected to, the prepare policy, the limits, and the exact URL and properties handed to
 * pgjdbc. Immutable; {@link #toString()} and {@link #explain()} never show the password.
 */
public final class ConnectionPlan {
  private final ConnectionMode mode;
  private final String modeReason;
  private final String platform;
  private final String provider;
  private final List<Endpoint> configuredEndpoints;
  private final List<Endpoint> endpoints;
  private final String database;
  private final String user;
  private final boolean serverPrepare;
  private final String initialSchema;
  private final PoolSettings pool;
  private final SessionStatePolicy sessionState;
  private final boolean telemetry;
  private final boolean queryText;
  private final String jmx;
  private final String pgjdbcUrl;
  private final Properties pgjdbcProperties;
  private final CredentialSource credentialSource;
  private final PoolKey cacheKey;
  private final List<String> notes;
  private final PlanReasons reasons;
  /** Null unless {@code mode=auto} left the endpoint's kind to the probe. */
  private final ProbeState probe;

  ConnectionPlan(ConnectionMode mode, String modeReason, String platform, String provider,
      List<Endpoint> configuredEndpoints, List<Endpoint> endpoints, String database, String user,
      boolean serverPrepare, String initialSchema, PoolSettings pool, SessionStatePolicy sessionState,
      boolean telemetry, boolean queryText, String jmx, String pgjdbcUrl, Properties pgjdbcProperties,
      CredentialSource credentialSource, PoolKey cacheKey, List<String> notes, PlanReasons reasons, ProbeState probe) {
    this.mode = mode;
    this.modeReason = modeReason;
    this.platform = platform;
    this.provider = provider;
    this.configuredEndpoints = List.copyOf(configuredEndpoints);
    this.endpoints = List.copyOf(endpoints);
    this.database = database;
    this.user = user;
    this.serverPrepare = serverPrepare;
    this.initialSchema = initialSchema;
    this.pool = pool;
    this.sessionState = sessionState;
    this.telemetry = telemetry;
    this.queryText = queryText;
    this.jmx = jmx;
    this.pgjdbcUrl = pgjdbcUrl;
    this.pgjdbcProperties = pgjdbcProperties;
    this.credentialSource = credentialSource;
    this.cacheKey = cacheKey;
    this.notes = List.copyOf(notes);
    this.reasons = reasons;
    this.probe = probe;
  }

  /** This plan (the pooler-safe form) awaiting the probe described by {@code probe}. */
  ConnectionPlan awaiting(ProbeState probe) {
    return new ConnectionPlan(this, modeReason, probe);
  }

  /** This plan with the probe's verdict: the mode's reason names it. */
  private ConnectionPlan(ConnectionPlan plan, String modeReason, ProbeState probe) {
    this(plan.mode, modeReason, plan.platform, plan.provider, plan.configuredEndpoints, plan.endpoints, plan.database,
        plan.user, plan.serverPrepare, plan.initialSchema, plan.pool, plan.sessionState, plan.telemetry,
        plan.queryText, plan.jmx, plan.pgjdbcUrl, plan.pgjdbcProperties, plan.credentialSource, plan.cacheKey,
        plan.notes, plan.reasons, probe);
  }

  public ConnectionMode mode() {
    return mode;
  }

  /** Why {@link #mode()} was chosen, in words, for logs and {@code explain}. */
  public String modeReason() {
    return modeReason;
  }

  /** The detected or configured serverless platform, or null. */
  public String platform() {
    return platform;
  }

  /** The pooler provider that owns the endpoint, {@code explicit} for {@code pooler=host:port}, or null. */
  public String provider() {
    return provider;
  }

  public List<Endpoint> configuredEndpoints() {
    return configuredEndpoints;
  }

  /** The endpoints connections are opened to, after routing. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** The first routed endpoint, as telemetry reports {@code server.address}/{@code server.port}. */
  public Endpoint primaryEndpoint() {
    return endpoints.get(0);
  }

  /** The database name, or null when pgjdbc defaults it to the user name. */
  public String database() {
    return database;
  }

  /** The user name, or null when none was given. */
  public String user() {
    return user;
  }

  /** Whether pgjdbc may use named server-side prepared statements. */
  public boolean serverPrepare() {
    return serverPrepare;
  }

  /**
   * The schema a logical connection starts with when the driver emulates it ({@code currentSchema} in transaction or
   * session mode, where the pooler rejects {@code search_path} at startup), or null.
   */
  public String initialSchema() {
    return initialSchema;
  }

  public PoolSettings pool() {
    return pool;
  }

  public SessionStatePolicy sessionState() {
    return sessionState;
  }

  public boolean telemetry() {
    return telemetry;
  }

  public boolean queryText() {
    return queryText;
  }

  /** When to register the target's JMX MBean: {@code auto}, {@code on} or {@code off}. */
  public String jmx() {
    return jmx;
  }

  /** The URL handed to pgjdbc. It never contains credentials. */
  public String pgjdbcUrl() {
    return pgjdbcUrl;
  }

  /** A copy of the properties handed to pgjdbc, password included: for the physical connection layer only. */
  public Properties pgjdbcProperties() {
    Properties copy = new Properties();
    copy.putAll(pgjdbcProperties);
    return copy;
  }

  /**
   * Where the password of each new physical connection comes from when a credential provider supplies it (it is
   * then not in {@link #pgjdbcProperties()}), or null when the password is fixed.
   */
  public CredentialSource credentialSource() {
    return credentialSource;
  }

  /**
   * Identifies physical connections that are interchangeable: mode, routed endpoints, database, user, every other
   * property handed to pgjdbc, our settings and the identity of the credentials (never the credentials themselves).
   * Plans whose mode depends on a probe share the key of the plan that awaited it, whatever the verdict.
   */
  public PoolKey cacheKey() {
    return cacheKey;
  }

  /** What the driver changed on the way to pgjdbc and why (forced properties, emulated settings). */
  public List<String> notes() {
    return notes;
  }

  /**
   * The endpoint whose probe verdict this plan depends on ({@code mode=auto} with no rule that recognises the
   * endpoint), or null when the plan does not depend on a probe.
   */
  public String probeKey() {
    return probe == null ? null : probe.key;
  }

  /** The probe verdict the mode was chosen by, or null (no probe, or not probed yet). */
  public ProbeVerdict probeVerdict() {
    return probe == null ? null : probe.verdict;
  }

  /**
   * Whether the endpoint's kind is not known yet: connections are opened pooler-safe (this plan's URL and
   * properties) and probed, and {@link #resolve} gives the plan to use on them.
   */
  public boolean awaitsProbe() {
    return probe != null && probe.verdict == null;
  }

  /**
   * The plan for the probe's verdict; this plan itself unless it {@linkplain #awaitsProbe awaits the probe}.
   *
   * @throws SQLException 0A000 when the endpoint is a pooler and the URL sets {@code options} that no pooler takes
   */
  public ConnectionPlan resolve(ProbeVerdict verdict) throws SQLException {
    if (!awaitsProbe()) {
      return this;
    }
    if (verdict.isPooler()) {
      if (probe.poolerFailure != null) {
        SQLException failure = probe.poolerFailure;
        throw new SQLException("The endpoint " + join(endpoints) + " is a pooler (" + verdict.evidence() + "). "
            + failure.getMessage(), failure.getSQLState(), failure);
      }
      return new ConnectionPlan(probe.whenPooler, ConnectionPlanner.probedReason(join(endpoints), verdict),
          new ProbeState(probe.key, verdict));
    }
    return new ConnectionPlan(probe.whenDirect, ConnectionPlanner.probedReason(join(endpoints), verdict),
        new ProbeState(probe.key, verdict));
  }

  /**
   * For a plan awaiting its probe: the plan whose URL and properties open connections once the endpoint is known to
   * be PostgreSQL itself (prepares and startup parameters as plain pgjdbc would send them).
   */
  public ConnectionPlan directForm() {
    return probe == null || probe.whenDirect == null ? this : probe.whenDirect;
  }

  /**
   * For a plan awaiting its probe: whether the probe connection can serve as a direct one once its prepare threshold
   * is set back (else it is closed and a direct one opened in its place).
   */
  public boolean probeConnectionFitsDirect() {
    return probe != null && probe.probeConnectionFitsDirect;
  }

  /** A human-readable account of the plan, for logs and {@code ServerlessPgDriver.explain}. */
  public String explain() {
    StringBuilder text = new StringBuilder();
    if (awaitsProbe()) {
      text.append("mode: not known yet, probed on the first connection (").append(modeReason).append(")\n");
    } else {
      text.append("mode: ").append(mode.name().toLowerCase(Locale.ROOT)).append(" (").append(modeReason)
          .append(")\n");
    }
    text.append("platform: ").append(platform == null ? "none detected" : reasons.platform).append('\n');
    text.append("provider: ").append(provider == null ? "none" : provider).append('\n');
    text.append("configured endpoint: ").append(join(configuredEndpoints)).append('\n');
    text.append("connects to: ").append(join(endpoints)).append('\n');
    text.append("database: ").append(database == null ? "(user name)" : database)
        .append(", user: ").append(user == null ? "(none)" : user).append('\n');
    text.append("server-side prepared statements: ").append(serverPrepare ? "allowed" : "off (prepareThreshold=0)")
        .append(" (").append(reasons.prepares).append(")\n");
    text.append("physical connections: at most ").append(pool.maxConnections())
        .append(" (+").append(pool.nestingAllowance())
        .append(" for threads that already hold one: nestingAllowance, hard cap ").append(pool.hardCap()).append(')')
        .append(pool.reuse() ? ", reused across getConnection/close" : ", one per logical connection (reuse=false)")
        .append('\n');
    text.append("process-wide: at most ").append(pool.processBounds().maxIdleConnections())
        .append(" idle physical connections (maxIdleConnections) and ").append(pool.processBounds().maxPools())
        .append(" pools (maxPools) across all configurations\n");
    text.append("connection limit: ").append(reasons.limit).append('\n');
    text.append("session state: ").append(sessionState.name().toLowerCase(Locale.ROOT)).append('\n');
    if (initialSchema != null) {
      text.append("schema: ").append(initialSchema).append(" (emulated)\n");
    }
    text.append("pgjdbc URL: ").append(pgjdbcUrl).append('\n');
    text.append("pgjdbc properties: ").append(Secrets.mask(pgjdbcProperties)).append('\n');
    if (credentialSource != null) {
      text.append("password: from credential provider ").append(credentialSource.describe()).append('\n');
    }
    for (String note : notes) {
      text.append("note: ").append(note).append('\n');
    }
    return text.toString();
  }

  private static String join(List<Endpoint> list) {
    StringBuilder joined = new StringBuilder();
    for (Endpoint endpoint : list) {
      if (joined.length() > 0) {
        joined.append(',');
      }
      joined.append(endpoint);
    }
    return joined.toString();
  }

  @Override
  public String toString() {
    return "ConnectionPlan[mode=" + mode + ", platform=" + platform + ", provider=" + provider + ", endpoints="
        + endpoints + ", database=" + database + ", user=" + user + ", serverPrepare=" + serverPrepare
        + ", maxConnections=" + pool.maxConnections() + (probe == null ? "" : ", probe=" + probe.verdict) + "]";
  }
}
