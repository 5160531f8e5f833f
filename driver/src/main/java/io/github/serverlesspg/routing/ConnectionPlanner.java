package io.github.serverlesspg.routing;

import static io.github.serverlesspg.config.ServerlessPgProperty.ACQUIRE_TIMEOUT;
import static io.github.serverlesspg.config.ServerlessPgProperty.CONNECT_RETRY_BUDGET;
import static io.github.serverlesspg.config.ServerlessPgProperty.PREWARM;
import static io.github.serverlesspg.config.ServerlessPgProperty.CREDENTIAL_PROVIDER;
import static io.github.serverlesspg.config.ServerlessPgProperty.CREDENTIAL_SOURCE;
import static io.github.serverlesspg.config.ServerlessPgProperty.IDLE_TIMEOUT;
import static io.github.serverlesspg.config.ServerlessPgProperty.JMX;
import static io.github.serverlesspg.config.ServerlessPgProperty.LEAK_DETECTION_THRESHOLD;
import static io.github.serverlesspg.config.ServerlessPgProperty.MAX_CONNECTIONS;
import static io.github.serverlesspg.config.ServerlessPgProperty.MAX_LIFETIME;
import static io.github.serverlesspg.config.ServerlessPgProperty.MODE;
import static io.github.serverlesspg.config.ServerlessPgProperty.NESTING_ALLOWANCE;
import static io.github.serverlesspg.config.ServerlessPgProperty.PLATFORM;
import static io.github.serverlesspg.config.ServerlessPgProperty.POOLER;
import static io.github.serverlesspg.config.ServerlessPgProperty.QUERY_TEXT;
import static io.github.serverlesspg.config.ServerlessPgProperty.REUSE;
import static io.github.serverlesspg.config.ServerlessPgProperty.SERVER_PREPARE;
import static io.github.serverlesspg.config.ServerlessPgProperty.SESSION_STATE;
import static io.github.serverlesspg.config.ServerlessPgProperty.TELEMETRY;
import static io.github.serverlesspg.config.ServerlessPgProperty.VALIDATION_TIMEOUT;
import static io.github.serverlesspg.config.ServerlessPgProperty.VALIDATION_WINDOW;

import io.github.serverlesspg.config.ConnectionUrl;
import io.github.serverlesspg.config.EndpointSyntax;
import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.config.ParsedUrl;
import io.github.serverlesspg.config.ProcessBounds;
import io.github.serverlesspg.config.Secrets;
import io.github.serverlesspg.config.ServerlessPgProperty;
import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.CredentialProvider;
import io.github.serverlesspg.spi.CredentialRequest;
import io.github.serverlesspg.spi.Endpoint;
import io.github.serverlesspg.spi.PlatformDetector;
import io.github.serverlesspg.spi.PoolerProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Turns a URL, the caller's {@link Properties} and the environment into a {@link ConnectionPlan}. A pure function of
 * its inputs (no network, no global state beyond the installed extensions), so every rule can be tested directly.
 *
 * <p>Precedence, highest first: explicit credentials ({@code DataSource.getConnection(user, password)}), URL
 * parameters, {@code Properties} passed to {@code connect}, the user info of a {@code postgresql://} connection string,
 * environment variables, the detected platform, defaults.
 */
public final class ConnectionPlanner {
  /** Environment variable that forces transaction mode when {@code mode=auto}. */
  public static final String USE_TRANSACTION_MODE = "USE_TRANSACTION_MODE";
  /** Environment variable: the total physical connections the pooler grants all instances. */
  public static final String MAX_POOL_SIZE = "MAX_POOL_SIZE";
  /** Environment variable: how many instances share {@link #MAX_POOL_SIZE}. */
  public static final String INSTANCE_COUNT = "INSTANCE_COUNT";

  /** pgjdbc sends {@code application_name} in the startup packet, not as a later {@code SET}, from this version. */
  static final String ASSUMED_SERVER_VERSION = "9.4";
  /** HikariCP's default pool size: for processes that serve many requests at once. */
  private static final int DEFAULT_MAX_CONNECTIONS = 10;
  private static final int SERVERLESS_MAX_CONNECTIONS = 1;
  private static final String PGBOUNCER_FLAG = "pgbouncer";
  /**
   * The value of {@code mode} in the pool key of plans whose mode depends on a probe: they share pools whatever the
   * verdict, and never with a plan whose mode was declared.
   */
  private static final String PROBE_FAMILY = "auto (probed)";
  private static final String USER = "user";
  private static final String PASSWORD = "password";

  private final Extensions extensions;
  private final UnknownPropertyReporter unknownProperties;
  private final ProbeVerdicts verdicts;

  public ConnectionPlanner(Extensions extensions, UnknownPropertyReporter unknownProperties) {
    this(extensions, unknownProperties, ProbeVerdicts.global());
  }

  /** @param verdicts the probe verdicts of endpoints probed so far (the process's, or a test's own) */
  public ConnectionPlanner(Extensions extensions, UnknownPropertyReporter unknownProperties,
      ProbeVerdicts verdicts) {
    this.extensions = extensions;
    this.unknownProperties = unknownProperties;
    this.verdicts = verdicts;
  }

  /**
   * Plans the connection.
   *
   * @throws SQLException 08001 for URLs that cannot be used, 22023 for invalid property values, 0A000 for settings
   *     that cannot work in the resolved mode; messages never contain the password
   */
  public ConnectionPlan plan(String url, Properties info, Environment environment) throws SQLException {
    return plan(url, info, null, environment);
  }

  /**
   * Plans the connection with credentials given to a data source, which take precedence over the URL's as in
   * pgjdbc's own data sources.
   *
   * @param explicit the data source's credentials, or null for the URL's and the properties'
   * @throws SQLException as {@link #plan(String, Properties, Environment)}
   */
  public ConnectionPlan plan(String url, Properties info, ExplicitCredentials explicit, Environment environment)
      throws SQLException {
    Map<String, String> given = toMap(info);
    ParsedUrl parsed = ConnectionUrl.parse(url, environment, lookup(given, MODE));
    Map<String, String> merged = credentialsAndParameters(parsed, given, explicit);
    Map<ServerlessPgProperty, String> ours = new EnumMap<>(ServerlessPgProperty.class);
    Map<String, String> pgjdbc = new TreeMap<>();
    for (Map.Entry<String, String> entry : merged.entrySet()) {
      ServerlessPgProperty property = ServerlessPgProperty.forName(entry.getKey());
      if (property != null && property.isProcessWide()) {
        throw SqlStates.invalidParameter("The property '" + property.propertyName() + "' is process-wide (it "
            + "bounds what every configuration of the process shares), so it cannot be set per URL or Properties: "
            + "remove it there and set the system property " + property.systemProperty() + " or the environment "
            + "variable " + property.environmentVariable() + " instead.");
      } else if (property != null) {
        ours.put(property, property.validate(entry.getValue()));
      } else if (!entry.getKey().equals(PGBOUNCER_FLAG)) {
        pgjdbc.put(entry.getKey(), entry.getValue());
      }
    }
    unknownProperties.check(pgjdbc.keySet());
    CredentialProvider credentialProvider = credentialProvider(ours, explicit, pgjdbc, environment);

    List<Endpoint> configured = parsed.endpoints();
    PoolerProvider provider = providerFor(configured);
    Endpoint explicitPooler = ours.containsKey(POOLER)
        ? EndpointSyntax.parse(ours.get(POOLER), "property 'pooler'", SqlStates.INVALID_PARAMETER_VALUE) : null;
    Platform platform = platform(ours.getOrDefault(PLATFORM, PLATFORM.defaultValue()), environment);
    String[] limitReason = new String[1];
    int maxConnections = maxConnections(ours, environment, platform, limitReason);
    Common common = new Common(parsed.database(), configured, provider, explicitPooler, platform, ours,
        credentialProvider,
        new PoolSettings(
            Boolean.parseBoolean(ours.getOrDefault(REUSE, REUSE.defaultValue())), maxConnections,
            millis(ours, ACQUIRE_TIMEOUT), millis(ours, VALIDATION_WINDOW), millis(ours, VALIDATION_TIMEOUT),
            millis(ours, IDLE_TIMEOUT), millis(ours, MAX_LIFETIME), millis(ours, LEAK_DETECTION_THRESHOLD),
            millis(ours, CONNECT_RETRY_BUDGET),
            Boolean.parseBoolean(ours.getOrDefault(PREWARM, PREWARM.defaultValue())),
            Integer.parseInt(ours.getOrDefault(NESTING_ALLOWANCE, NESTING_ALLOWANCE.defaultValue())),
            ProcessBounds.read(environment)),
        limitReason[0]);

    ConnectionMode mode;
    String modeReason;
    String requested = ours.getOrDefault(MODE, MODE.defaultValue());
    if (!requested.equals("auto")) {
      mode = ConnectionMode.valueOf(requested.toUpperCase(Locale.ROOT));
      modeReason = "mode=" + requested;
    } else if ("true".equalsIgnoreCase(environment.get(USE_TRANSACTION_MODE))) {
      mode = ConnectionMode.TRANSACTION;
      modeReason = "auto: USE_TRANSACTION_MODE=true in the environment";
    } else if (explicitPooler != null) {
      mode = ConnectionMode.TRANSACTION;
      modeReason = "auto: pooler=" + explicitPooler;
    } else if (merged.containsKey(PGBOUNCER_FLAG)) {
      mode = ConnectionMode.TRANSACTION;
      modeReason = "auto: pgbouncer=true in the URL";
    } else if (provider != null && provider.isTransactionPooler(configured.get(0))) {
      mode = ConnectionMode.TRANSACTION;
      modeReason = "auto: " + configured.get(0) + " is a " + provider.name() + " transaction pooler";
    } else if (platform != null && platform.oneRequestAtATime) {
      mode = ConnectionMode.TRANSACTION;
      modeReason = "auto: running on " + platform.name + " (" + platform.evidence + "), where every instance "
          + "opens connections of its own, so many instances need a transaction pooler";
    } else if (platform != null && provider != null) {
      mode = ConnectionMode.TRANSACTION;
      modeReason = "auto: running on " + platform.name + " (" + platform.evidence + "), and " + configured.get(0)
          + " has a " + provider.name() + " transaction pooler";
    } else if (provider != null) {
      mode = ConnectionMode.DIRECT;
      modeReason = "auto: " + configured.get(0) + " is a " + provider.name() + " database endpoint, not its pooler, "
          + "and no serverless platform was detected";
    } else {
      return probed(common, pgjdbc);
    }
    return assemble(common, mode, modeReason, new TreeMap<>(pgjdbc), new ArrayList<>(), null, null, null);
  }

  /**
   * The plan for an endpoint no rule recognises: made with the probe verdict when the endpoint was probed before,
   * else a plan that opens the first connections pooler-safe and awaits the probe, with both outcomes planned.
   * Every plan of the family shares one cache key, so that connections opened before and after the verdict are
   * pooled together.
   */
  private ConnectionPlan probed(Common common, Map<String, String> pgjdbc) throws SQLException {
    String key = join(common.configured);
    // The probe connection goes without every startup parameter a pooler rejects, options included: what the
    // options set is applied when the verdict is known (or refused, if it is a pooler).
    Map<String, String> probeForm = new TreeMap<>(pgjdbc);
    boolean fitsDirect = probeForm.remove("options") == null && !probeForm.containsKey("currentSchema")
        && !"always".equalsIgnoreCase(probeForm.get("readOnlyMode"));
    ConnectionPlan pending = assemble(common, ConnectionMode.TRANSACTION, "auto: no rule recognises " + key
        + "; the first physical connection is opened pooler-safe and probed (pooler or PostgreSQL?)",
        probeForm, new ArrayList<>(), "off until the probe has spoken: the first connection is pooler-safe", null,
        null);
    PoolKey familyKey = pending.cacheKey();
    ProbeVerdict verdict = verdicts.get(key);
    if (verdict != null) {
      return assemble(common, verdict.isPooler() ? ConnectionMode.TRANSACTION : ConnectionMode.DIRECT,
          probedReason(key, verdict), new TreeMap<>(pgjdbc), new ArrayList<>(), null, familyKey,
          new ProbeState(key, verdict));
    }
    ConnectionPlan whenPooler = null;
    SQLException poolerFailure = null;
    try {
      whenPooler = assemble(common, ConnectionMode.TRANSACTION, "", new TreeMap<>(pgjdbc), new ArrayList<>(), null,
          familyKey, null);
    } catch (SQLException e) {
      poolerFailure = e;
    }
    ConnectionPlan whenDirect = assemble(common, ConnectionMode.DIRECT, "", new TreeMap<>(pgjdbc),
        new ArrayList<>(), null, familyKey, null);
    return pending.awaiting(new ProbeState(key, null, whenPooler, poolerFailure, whenDirect, fitsDirect));
  }

  /** The mode's reason once the probe has spoken. */
  static String probedReason(String endpoints, ProbeVerdict verdict) {
    return verdict.isPooler()
        ? "auto: the probe found a pooler at " + endpoints + " (" + verdict.evidence() + "); a pooler found by "
            + "probe is treated as a transaction-mode pooler, the safe choice (set mode=session for a session-mode "
            + "pooler)"
        : "auto: the probe found PostgreSQL itself at " + endpoints + " (" + verdict.evidence() + ")";
  }

  /** Everything about a plan that does not depend on the mode. */
  private static final class Common {
    final String database;
    final List<Endpoint> configured;
    final PoolerProvider provider;
    final Endpoint explicitPooler;
    final Platform platform;
    final Map<ServerlessPgProperty, String> ours;
    /** Null when the password is fixed. */
    final CredentialProvider credentialProvider;
    final PoolSettings pool;
    final String limitReason;

    Common(String database, List<Endpoint> configured, PoolerProvider provider, Endpoint explicitPooler,
        Platform platform, Map<ServerlessPgProperty, String> ours, CredentialProvider credentialProvider,
        PoolSettings pool, String limitReason) {
      this.database = database;
      this.configured = configured;
      this.provider = provider;
      this.explicitPooler = explicitPooler;
      this.platform = platform;
      this.ours = ours;
      this.credentialProvider = credentialProvider;
      this.pool = pool;
      this.limitReason = limitReason;
    }
  }

  /** A detected or configured platform, with the variables that showed it. */
  private static final class Platform {
    final String name;
    final String evidence;
    final boolean oneRequestAtATime;

    Platform(String name, String evidence, boolean oneRequestAtATime) {
      this.name = name;
      this.evidence = evidence;
      this.oneRequestAtATime = oneRequestAtATime;
    }

    String describe() {
      return name + " (" + evidence + "; " + (oneRequestAtATime ? "one request per instance at a time"
          : "many requests per instance at once") + ")";
    }
  }

  /**
   * Builds the plan for a mode.
   *
   * @param pgjdbc the pgjdbc properties, a copy this method may change
   * @param prepareCondition for the plan awaiting a probe: replaces the prepare policy's reason, and its cache key
   *     is that of the probe family; null for every other plan
   * @param familyKey the cache key to use instead of this plan's own, or null
   */
  private ConnectionPlan assemble(Common common, ConnectionMode mode, String modeReason, Map<String, String> pgjdbc,
      List<String> notes, String prepareCondition, PoolKey familyKey, ProbeState probe) throws SQLException {
    Map<ServerlessPgProperty, String> ours = common.ours;
    List<Endpoint> endpoints = route(common.configured, mode, common.provider, common.explicitPooler);
    String providerName = common.explicitPooler != null && mode == ConnectionMode.TRANSACTION ? "explicit"
        : common.provider == null ? null : common.provider.name();
    String prepareSetting = ours.getOrDefault(SERVER_PREPARE, SERVER_PREPARE.defaultValue());
    PoolerProvider prepareProvider = common.explicitPooler == null ? common.provider : null;
    boolean serverPrepare = serverPrepare(prepareSetting, mode, prepareProvider);
    String prepareReason = prepareCondition != null ? prepareCondition
        : prepareReason(prepareSetting, mode, prepareProvider);
    String initialSchema = adjustStartupParameters(mode, pgjdbc, notes);

    String pgjdbcUrl = pgjdbcUrl(endpoints, common.database, serverPrepare, notes);
    Properties properties = new Properties();
    properties.putAll(pgjdbc);
    String user = pgjdbc.get(USER);
    // Asked for the endpoint actually connected to: an RDS IAM token is signed for it.
    CredentialSource credentialSource = common.credentialProvider == null ? null
        : new CredentialSource(common.credentialProvider,
            new CredentialRequest(user, endpoints.get(0), common.database, ours.get(CREDENTIAL_SOURCE)));
    PoolKey cacheKey = familyKey != null ? familyKey
        : poolKey(mode, endpoints, common.database, serverPrepare, pgjdbc, ours, prepareCondition != null,
            credentialSource);
    Platform platform = common.platform;
    return new ConnectionPlan(mode, modeReason, platform == null ? null : platform.name, providerName,
        common.configured, endpoints, common.database, user, serverPrepare, initialSchema, common.pool,
        SessionStatePolicy.valueOf(ours.getOrDefault(SESSION_STATE, SESSION_STATE.defaultValue())
            .toUpperCase(Locale.ROOT)),
        "on".equals(ours.getOrDefault(TELEMETRY, TELEMETRY.defaultValue())),
        "on".equals(ours.getOrDefault(QUERY_TEXT, QUERY_TEXT.defaultValue())),
        ours.getOrDefault(JMX, JMX.defaultValue()),
        pgjdbcUrl, properties, credentialSource, cacheKey, notes,
        new PlanReasons(platform == null ? null : platform.describe(), prepareReason, common.limitReason), probe);
  }

  /**
   * Merges the sources of settings, lowest precedence first: the user info of a {@code postgresql://} connection
   * string (pgjdbc has none; explicit properties override it, and its password is dropped when the properties name
   * another user), the connection {@code Properties}, the URL's parameters (they override {@code Properties}, as
   * pgjdbc's URL arguments do), and last the credentials given to a data source (see {@link ExplicitCredentials}).
   */
  private static Map<String, String> credentialsAndParameters(ParsedUrl parsed, Map<String, String> given,
      ExplicitCredentials explicit) {
    Map<String, String> merged = new LinkedHashMap<>();
    Map<String, String> userInfo = parsed.userInfo();
    String givenUser = given.get(USER);
    if (givenUser == null || givenUser.equals(userInfo.get(USER))) {
      merged.putAll(userInfo);
    } else if (userInfo.containsKey(USER)) {
      merged.put(USER, userInfo.get(USER));
    }
    merged.putAll(given);
    merged.putAll(parsed.parameters());
    if (explicit != null) {
      if (explicit.userGiven()) {
        merged.remove(USER);
        if (explicit.user() != null) {
          merged.put(USER, explicit.user());
        }
      }
      if (explicit.passwordGiven()) {
        merged.remove(PASSWORD);
        if (explicit.password() != null) {
          merged.put(PASSWORD, explicit.password());
        }
      }
    }
    return merged;
  }

  private static String lookup(Map<String, String> given, ServerlessPgProperty property) {
    for (Map.Entry<String, String> entry : given.entrySet()) {
      if (ServerlessPgProperty.forName(entry.getKey()) == property) {
        return entry.getValue();
      }
    }
    return null;
  }

  private PoolerProvider providerFor(List<Endpoint> configured) {
    for (PoolerProvider provider : extensions.providers()) {
      if (provider.recognizes(configured.get(0))) {
        return provider;
      }
    }
    return null;
  }

  private Platform platform(String setting, Environment environment) throws SQLException {
    if (setting.equalsIgnoreCase("none")) {
      return null;
    }
    boolean detect = setting.equalsIgnoreCase("auto");
    List<String> names = new ArrayList<>();
    Map<String, String> variables = environment.asMap();
    for (PlatformDetector detector : extensions.detectors()) {
      if (detect ? detector.detect(variables) : detector.name().equalsIgnoreCase(setting)) {
        String evidence = detect ? detector.evidence(variables) : null;
        return new Platform(detector.name(), detect ? (evidence == null ? "detected by " + detector.name()
            : "from " + evidence) : "platform=" + setting, detector.servesOneRequestAtATime(variables));
      }
      names.add(detector.name());
    }
    if (detect) {
      return null;
    }
    throw SqlStates.invalidParameter("Invalid value '" + setting + "' for property 'platform': expected auto, none "
        + "or one of " + String.join(", ", names) + ".");
  }

  /** Routes every endpoint or none: a multi-host URL is never half-rewritten. */
  private static List<Endpoint> route(List<Endpoint> configured, ConnectionMode mode, PoolerProvider provider,
      Endpoint explicitPooler) throws SQLException {
    if (explicitPooler != null && mode == ConnectionMode.TRANSACTION) {
      return List.of(explicitPooler);
    }
    if (provider == null) {
      return configured;
    }
    if (configured.size() > 1) {
      throw SqlStates.unableToConnect("The URL lists " + configured.size() + " hosts, and " + configured.get(0)
          + " belongs to " + provider.name() + ", whose pooler routing works on one host: give the single "
          + provider.name() + " host, or set pooler=host:port, or use mode=direct to keep pgjdbc's multi-host "
          + "failover without routing.");
    }
    return List.of(provider.route(configured.get(0), mode));
  }

  private static String prepareReason(String setting, ConnectionMode mode, PoolerProvider provider) {
    if (!setting.equals("auto")) {
      return "serverPrepare=" + setting;
    }
    if (mode != ConnectionMode.TRANSACTION) {
      return "pgjdbc's default in " + mode.name().toLowerCase(Locale.ROOT) + " mode";
    }
    return provider != null && provider.supportsProtocolPreparedStatements()
        ? provider.name() + "'s pooler supports protocol-level prepared statements"
        : "transaction mode: named statements would meet other clients' server connections (42P05 / 26000); "
            + "serverPrepare=on keeps them for a pooler with protocol-level prepared statements";
  }

  private static boolean serverPrepare(String setting, ConnectionMode mode, PoolerProvider provider) {
    switch (setting) {
      case "on":
        return true;
      case "off":
        return false;
      default:
        return mode != ConnectionMode.TRANSACTION
            || (provider != null && provider.supportsProtocolPreparedStatements());
    }
  }

  /**
   * Keeps startup parameters a pooler rejects out of the startup packet. Returns the schema the driver emulates
   * instead of pgjdbc's {@code currentSchema}, or null.
   */
  private static String adjustStartupParameters(ConnectionMode mode, Map<String, String> pgjdbc, List<String> notes)
      throws SQLException {
    if (mode == ConnectionMode.DIRECT) {
      return null;
    }
    String schema = pgjdbc.remove("currentSchema");
    if (schema != null) {
      notes.add("currentSchema is not sent at startup (poolers reject search_path there); the driver applies it "
          + (mode == ConnectionMode.TRANSACTION ? "to every transaction" : "after connecting"));
    }
    if (mode == ConnectionMode.TRANSACTION) {
      String options = pgjdbc.remove("options");
      if (options != null) {
        String fromOptions = StartupOptions.searchPathOnly(options);
        schema = schema == null ? fromOptions : schema;
        notes.add("options is not sent at startup; its search_path is applied to every transaction");
      }
      if ("always".equalsIgnoreCase(pgjdbc.get("readOnlyMode"))) {
        pgjdbc.put("readOnlyMode", "transaction");
        notes.add("readOnlyMode=always issues session-level SETs; using readOnlyMode=transaction");
      }
      if (!pgjdbc.containsKey("assumeMinServerVersion")) {
        pgjdbc.put("assumeMinServerVersion", ASSUMED_SERVER_VERSION);
        notes.add("assumeMinServerVersion=" + ASSUMED_SERVER_VERSION
            + " so that application_name goes in the startup packet instead of a session SET");
      }
    }
    return schema;
  }

  /** The limit of physical connections, and why (in {@code reason[0]}). */
  private static int maxConnections(Map<ServerlessPgProperty, String> ours, Environment environment,
      Platform platform, String[] reason) throws SQLException {
    if (ours.containsKey(MAX_CONNECTIONS)) {
      reason[0] = "maxConnections=" + ours.get(MAX_CONNECTIONS);
      return Integer.parseInt(ours.get(MAX_CONNECTIONS));
    }
    String poolSize = environment.get(MAX_POOL_SIZE);
    if (poolSize != null) {
      int total = positiveEnvironmentInt(MAX_POOL_SIZE, poolSize);
      String instances = environment.get(INSTANCE_COUNT);
      int count = instances == null ? 1 : positiveEnvironmentInt(INSTANCE_COUNT, instances);
      reason[0] = "from the environment: " + MAX_POOL_SIZE + "=" + total
          + (instances == null ? "" : " / " + INSTANCE_COUNT + "=" + count);
      return Math.max(1, total / count);
    }
    if (platform != null && platform.oneRequestAtATime) {
      reason[0] = platform.name + " (" + platform.evidence + ") serves one request per instance at a time";
      return SERVERLESS_MAX_CONNECTIONS;
    }
    reason[0] = (platform != null ? platform.name + " (" + platform.evidence + ") serves"
        : "no serverless platform detected; a process serves") + " many requests at once: opened on demand, up to "
        + DEFAULT_MAX_CONNECTIONS + "; set maxConnections, or MAX_POOL_SIZE and INSTANCE_COUNT";
    return DEFAULT_MAX_CONNECTIONS;
  }

  private static int positiveEnvironmentInt(String name, String value) throws SQLException {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= 1) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw SqlStates.invalidParameter("Invalid value '" + value + "' of environment variable " + name
        + ": expected a whole number, 1 or more. Fix or unset " + name + ".");
  }

  private static long millis(Map<ServerlessPgProperty, String> ours, ServerlessPgProperty property) {
    return Long.parseLong(ours.getOrDefault(property, property.defaultValue()));
  }

  /** The URL handed to pgjdbc; settings that must win over {@link Properties} go here, credentials never do. */
  private static String pgjdbcUrl(List<Endpoint> endpoints, String database, boolean serverPrepare,
      List<String> notes) {
    StringBuilder url = new StringBuilder("jdbc:postgresql://");
    for (int i = 0; i < endpoints.size(); i++) {
      if (i > 0) {
        url.append(',');
      }
      url.append(endpoints.get(i));
    }
    url.append('/');
    if (database != null) {
      url.append(URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    if (!serverPrepare) {
      // In the URL, not in Properties: pgjdbc lets URL arguments override Properties.
      url.append("?prepareThreshold=0");
      notes.add("prepareThreshold=0 forced in the pgjdbc URL: no named server-side prepared statements");
    }
    return url.toString();
  }

  /** @param probeFamily the key of a plan awaiting the probe, which every plan of its family shares */
  private static PoolKey poolKey(ConnectionMode mode, List<Endpoint> endpoints, String database,
      boolean serverPrepare, Map<String, String> pgjdbc, Map<ServerlessPgProperty, String> ours, boolean probeFamily,
      CredentialSource credentialSource) {
    Map<String, String> secrets = new TreeMap<>();
    Map<String, String> settings = new TreeMap<>();
    for (Map.Entry<String, String> entry : pgjdbc.entrySet()) {
      if (Secrets.isSecret(entry.getKey())) {
        secrets.put(entry.getKey(), entry.getValue());
      } else if (!entry.getKey().equals(USER)) {
        settings.put(entry.getKey(), entry.getValue());
      }
    }
    Map<ServerlessPgProperty, String> keySettings = ours;
    if (probeFamily) {
      keySettings = new EnumMap<>(ours.isEmpty() ? new EnumMap<>(ServerlessPgProperty.class) : ours);
      keySettings.put(MODE, PROBE_FAMILY);
    }
    // With a provider the key holds the provider, never the password it returns: a rotation opens no second pool.
    CredentialIdentity credential = credentialSource == null ? CredentialIdentity.ofSecrets(secrets)
        : CredentialIdentity.ofProvider(credentialSource.provider(), ours.get(CREDENTIAL_SOURCE),
            credentialSource.providerName(), secrets);
    return new PoolKey(mode, endpoints, database, serverPrepare, pgjdbc.get(USER), credential, settings,
        keySettings);
  }

  /**
   * The credential provider of the plan, or null when the password is fixed; removes the fixed password when there
   * is one. The data source's provider instance wins over {@code credentialProvider}; a password given explicitly to
   * the data source wins over both, and the provider replaces any password of the URL or properties.
   */
  private static CredentialProvider credentialProvider(Map<ServerlessPgProperty, String> ours,
      ExplicitCredentials explicit, Map<String, String> pgjdbc, Environment environment) throws SQLException {
    CredentialProvider provider = explicit == null ? null : explicit.provider();
    if (provider == null && ours.containsKey(CREDENTIAL_PROVIDER)) {
      provider = CredentialProviders.forName(ours.get(CREDENTIAL_PROVIDER), environment);
    }
    if (provider == null || (explicit != null && explicit.passwordGiven() && explicit.password() != null)) {
      return null;
    }
    pgjdbc.remove(PASSWORD);
    return provider;
  }

  private static String join(List<Endpoint> endpoints) {
    StringBuilder joined = new StringBuilder();
    for (Endpoint endpoint : endpoints) {
      joined.append(joined.length() == 0 ? "" : ",").append(endpoint);
    }
    return joined.toString();
  }

  private static Map<String, String> toMap(Properties info) {
    Map<String, String> map = new LinkedHashMap<>();
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        String value = info.getProperty(name);
        if (value != null) {
          map.put(name, value);
        }
      }
    }
    return map;
  }
}
