package io.github.serverlesspg.config;

import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Every connection property of serverless-pg, defined once: name, default, allowed values, description and how its
 * value is parsed. This single definition drives URL and {@link Properties} parsing, validation,
 * {@link java.sql.Driver#getPropertyInfo} and the generated {@code docs/configuration.md}.
 *
 * <p>Keys that are not listed here are pgjdbc's and pass through to it unchanged.
 */
public enum ServerlessPgProperty {
  MODE("mode", "auto", Kind.CHOICE, new String[] {"auto", "transaction", "session", "direct"},
      "How connections reach PostgreSQL. `transaction`: through a transaction-mode pooler; session state is "
          + "emulated per transaction or refused. `session`: through a session-mode pooler. `direct`: straight to "
          + "PostgreSQL, exactly as plain pgjdbc. `auto` picks `transaction` when `USE_TRANSACTION_MODE=true`, "
          + "`pooler` or `pgbouncer=true` is set, the URL points at a known transaction pooler, or on a platform "
          + "where each instance serves one request at a time (AWS Lambda, Vercel, Netlify, Cloud Functions 1st "
          + "gen); any other endpoint is probed on its first connection: `transaction` if it is a pooler, "
          + "`direct` if it is PostgreSQL itself (see docs/modes.md).",
      "`USE_TRANSACTION_MODE=true` means `transaction` when this property is `auto`."),
  POOLER("pooler", null, Kind.ENDPOINT, null,
      "Explicit pooler address `host:port` used in transaction mode. Overrides every provider's routing rule; "
          + "with `mode=auto` it selects transaction mode.",
      null),
  PLATFORM("platform", "auto", Kind.STRING, null,
      "Serverless platform the process runs on: `auto` detects it from the environment, `none` disables "
          + "detection, any detector name (for example `aws-lambda`) forces it.",
      null),
  SERVER_PREPARE("serverPrepare", "auto", Kind.CHOICE, new String[] {"auto", "on", "off"},
      "Named server-side prepared statements. `auto`: off in transaction mode (pgjdbc `prepareThreshold=0`) "
          + "unless the pooler provider supports protocol-level prepared statements, pgjdbc's default otherwise. "
          + "`on`: never force them off (PgBouncer 1.21+ with `max_prepared_statements > 0`). `off`: always off.",
      null),
  SESSION_STATE("sessionState", "error", Kind.CHOICE, new String[] {"warn", "error", "ignore"},
      "Transaction mode: what to do with SQL that creates session state the driver cannot emulate per transaction "
          + "(`SET SESSION AUTHORIZATION`, `SET SESSION CHARACTERISTICS`, `LISTEN`, `PREPARE`, session advisory "
          + "locks, `WITH HOLD` cursors, temporary tables without `ON COMMIT DROP`, `LOAD`, and a `SET`, `RESET` or "
          + "`set_config(..., false)` that is not a statement of its own). Raw settings that are statements of "
          + "their own are emulated per transaction of the handle under `error` and `warn`. `error` throws SQLSTATE "
          + "0A000 with the fix; `warn` logs once per statement shape and runs it, so the state stays on the "
          + "pooler's server connection for whichever client gets it next; `ignore` runs all of it unchanged, "
          + "raw settings included, silently.",
      null),
  REUSE("reuse", "true", Kind.BOOLEAN, new String[] {"true", "false"},
      "Keep physical connections open across logical `getConnection`/`close` cycles, process-wide. `false`: "
          + "every logical connection is its own physical connection, closed on close.",
      null),
  MAX_CONNECTIONS("maxConnections", null, Kind.POSITIVE_INT, null,
      "Physical connections per target held by this process. Default: Prisma's `connection_limit` in the URL, "
          + "else `MAX_POOL_SIZE / INSTANCE_COUNT` (at least 1), else 1 on a platform where each instance serves one "
          + "request at a time (AWS Lambda, Vercel, Netlify, Cloud Functions 1st gen), else 10 (opened on demand).",
      "`MAX_POOL_SIZE` and `INSTANCE_COUNT`."),
  ACQUIRE_TIMEOUT("acquireTimeout", "10000", Kind.MILLIS, null,
      "Milliseconds a `getConnection` waits for a physical connection when `maxConnections` are in use before "
          + "it fails with SQLSTATE 08001.",
      null),
  CONNECT_RETRY_BUDGET("connectRetryBudget", "10000", Kind.MILLIS, null,
      "Milliseconds after the first attempt during which opening a physical connection is retried, with "
          + "exponential backoff and full jitter (25 ms doubling up to 500 ms), when it fails for a transient reason: "
          + "refused or reset, `57P03` (starting up), `53300` (too many connections), a pooler's \"no more "
          + "connections\" or login hold, a serverless compute waking up. Never a retry of a statement. No attempt "
          + "starts after the budget; each attempt is bounded by the connect bound (`connectTimeout`). `0` disables "
          + "retries. A `getConnection` fails after at most `acquireTimeout` (waiting for a slot) plus this budget "
          + "plus one attempt.",
      null),
    VALIDATION_WINDOW("validationWindow", "500", Kind.MILLIS, null,
      "A physical connection idle longer than this many milliseconds is validated before it is handed out. `0` "
          + "validates on every borrow.",
      null),
  VALIDATION_TIMEOUT("validationTimeout", "5000", Kind.MILLIS, null,
      "Upper bound in milliseconds for validating an idle connection (rounded up to whole seconds, as "
          + "`Connection.isValid` takes seconds). Never unbounded.",
      null),
  IDLE_TIMEOUT("idleTimeout", "600000", Kind.MILLIS, null,
      "Milliseconds after which an idle physical connection is closed. `0` keeps idle connections forever.",
      null),
  MAX_LIFETIME("maxLifetime", "1800000", Kind.MILLIS, null,
      "Milliseconds after which a physical connection is retired (minus up to 2.5% random jitter so that "
          + "connections do not all retire at once). `0` disables retirement.",
      null),
  LEAK_DETECTION_THRESHOLD("leakDetectionThreshold", "0", Kind.MILLIS, null,
      "Log a warning with the stack of the `getConnection` call when a logical connection stays open longer "
          + "than this many milliseconds. `0` (off) costs nothing.",
      null),
  PREWARM("prewarm", "false", Kind.BOOLEAN, new String[] {"true", "false"},
      "`true`: `new ServerlessPgDataSource(url)` opens and validates its physical connection in the constructor, "
          + "synchronously and without threads, so that a serverless function pays the connect during "
          + "initialization (AWS Lambda's init phase runs with a full CPU) instead of in its first request. A "
          + "failure there is logged, not thrown; the first `getConnection` then connects and reports it. "
          + "Bean-style setup calls `warmUp()` instead (for example `@Bean(initMethod = \"warmUp\")`).",
      null),
    TELEMETRY("telemetry", "on", Kind.CHOICE, new String[] {"on", "off"},
      "OpenTelemetry spans and metrics. `off` removes all instrumentation cost.",
      null),
  QUERY_TEXT("queryText", "on", Kind.CHOICE, new String[] {"on", "off"},
      "Record `db.query.text` on query spans (literals of non-parameterized SQL replaced by `?`). `off` drops it.",
      null),
  CREDENTIAL_PROVIDER("credentialProvider", null, Kind.STRING, null,
      "Where the password of each new physical connection comes from, asked at connect time instead of taken from "
          + "the URL or properties (rotating secrets, IAM tokens): `file` reads the file named by "
          + "`credentialSource` on every connect, `env` the environment variable named by `credentialSource`; any "
          + "other value is the name of a provider listed in `META-INF/services/io.github.serverlesspg.spi."
          + "CredentialProvider` or a class name. Pools are keyed by the provider, not by the password, so a "
          + "rotation opens no second pool; a refused password is asked for again once. See docs/credentials.md.",
      null),
  CREDENTIAL_SOURCE("credentialSource", null, Kind.STRING, null,
      "The argument of `credentialProvider`: the file path for `file`, the variable name for `env`, whatever a "
          + "custom provider expects.",
      null),
  NESTING_ALLOWANCE("nestingAllowance", "2", 0, 100, false,
      "Physical connections a target may open beyond `maxConnections`, only for threads that already hold a "
          + "connection of this driver (nested acquisition: Flyway and Liquibase hold 2–3 connections on one "
          + "thread), so that they run with `maxConnections=1` without deadlocking. The hard cap per target is "
          + "`maxConnections` + this. `0`: none, and a thread that needs a second connection waits like any other "
          + "(with `maxConnections=1` it times out)."),
  MAX_IDLE_CONNECTIONS("maxIdleConnections", "50", 1, 100_000, true,
      "Process-wide: physical connections kept idle across all targets. Past it, pools with no connection lent out "
          + "and nobody waiting are closed, least recently used first, whenever a pool is created and at every sweep; "
          + "pools in use are never closed. The default stays below PgBouncer's default `max_client_conn` of 100."),
  MAX_POOLS("maxPools", "100", 1, 100_000, true,
      "Process-wide: pools (distinct configurations: URL, properties, credentials) kept at once. Past it, unused "
          + "pools are closed, least recently used first, as for `maxIdleConnections`."),
  JMX("jmx", "auto", Kind.CHOICE, new String[] {"auto", "on", "off"},
      "Register a JMX MBean per target with the health numbers. `auto`: only when the JVM was started with a JMX "
          + "agent (`com.sun.management.jmxremote` or `com.sun.management.jmxremote.port`), because starting the "
          + "platform MBean server costs about 165 ms, too much for a serverless cold start. `on`: always, starting "
          + "it if needed (use this to attach JConsole later). `off`: never.",
      null);

  /** The largest value of a milliseconds property: {@link Integer#MAX_VALUE}, so no timeout ever overflows. */
  public static final long MAX_MILLIS = Integer.MAX_VALUE;

  /** The URL prefix that selects this driver. */
  public static final String URL_PREFIX = "jdbc:serverless-pg:";

  /** How a property's text value is checked. */
  public enum Kind {
    CHOICE, BOOLEAN, POSITIVE_INT, MILLIS, ENDPOINT, STRING,
    /** A whole number between {@link #minimum()} and {@link #maximum()}. */
    COUNT
  }

  /** The prefix of the system property that sets a process-wide property: {@code serverlesspg.maxPools}. */
  public static final String SYSTEM_PROPERTY_PREFIX = "serverlesspg.";
  /** The prefix of the environment variable that sets a process-wide property: {@code SERVERLESS_PG_MAX_POOLS}. */
  public static final String ENVIRONMENT_PREFIX = "SERVERLESS_PG_";

  private static final Map<String, ServerlessPgProperty> BY_NAME = new HashMap<>();

  static {
    for (ServerlessPgProperty property : values()) {
      BY_NAME.put(property.propertyName.toLowerCase(Locale.ROOT), property);
    }
  }

  private final String propertyName;
  private final String defaultValue;
  private final Kind kind;
  private final String[] choices;
  private final String description;
  private final String environment;

  private final long minimum;
  private final long maximum;
  private final boolean processWide;

  ServerlessPgProperty(String propertyName, String defaultValue, Kind kind, String[] choices, String description,
      String environment) {
    this.propertyName = propertyName;
    this.defaultValue = defaultValue;
    this.kind = kind;
    this.choices = choices;
    this.description = description;
    this.environment = environment;
    this.minimum = 0;
    this.maximum = 0;
    this.processWide = false;
  }

  /**
   * A {@link Kind#COUNT} property. A process-wide one is set by a system property or an environment variable, never
   * per URL: it bounds what all configurations of the process share.
   */
  ServerlessPgProperty(String propertyName, String defaultValue, long minimum, long maximum, boolean processWide,
      String description) {
    this.propertyName = propertyName;
    this.defaultValue = defaultValue;
    this.kind = Kind.COUNT;
    this.choices = null;
    this.minimum = minimum;
    this.maximum = maximum;
    this.processWide = processWide;
    this.description = processWide ? description + " Set it for the process with the system property `"
        + systemProperty(propertyName) + "` or the environment variable `" + environmentVariable(propertyName)
        + "` (the system property wins); in a URL or `Properties` it is refused (SQLSTATE 22023)." : description;
    this.environment = processWide ? "`" + environmentVariable(propertyName) + "`, system property `"
        + systemProperty(propertyName) + "`" : null;
  }

  /** The property's name as written in URLs and {@link Properties}. */
  public String propertyName() {
    return propertyName;
  }

  /** The default as text, or {@code null} when the default is derived (see the description). */
  public String defaultValue() {
    return defaultValue;
  }

  public Kind kind() {
    return kind;
  }

  /** Allowed values, or an empty array when any value of the {@link #kind()} is allowed. */
  public String[] choices() {
    return choices == null ? new String[0] : choices.clone();
  }

  public String description() {
    return description;
  }

  /** Environment variables that feed this property when neither the URL nor {@link Properties} set it, or null. */
  public String environment() {
    return environment;
  }

  /** The smallest allowed value of a {@link Kind#COUNT} property. */
  public long minimum() {
    return minimum;
  }

  /** The largest allowed value of a {@link Kind#COUNT} property. */
  public long maximum() {
    return maximum;
  }

  /** Whether the property bounds the whole process and is set by {@link #systemProperty()} or the environment. */
  public boolean isProcessWide() {
    return processWide;
  }

  /** The system property that sets a process-wide property ({@code serverlesspg.maxPools}). */
  public String systemProperty() {
    return systemProperty(propertyName);
  }

  /** The environment variable that sets a process-wide property ({@code SERVERLESS_PG_MAX_POOLS}). */
  public String environmentVariable() {
    return environmentVariable(propertyName);
  }

  private static String systemProperty(String name) {
    return SYSTEM_PROPERTY_PREFIX + name;
  }

  private static String environmentVariable(String name) {
    // maxPools -> MAX_POOLS; a loop rather than a regular expression, which this class's cold load would pay for.
    StringBuilder variable = new StringBuilder(ENVIRONMENT_PREFIX);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        variable.append('_');
      }
      variable.append(Character.toUpperCase(c));
    }
    return variable.toString();
  }

  /** The property with this name, case-insensitively (pgjdbc's names are case-sensitive; ours forgive case). */
  public static ServerlessPgProperty forName(String name) {
    return BY_NAME.get(name.toLowerCase(Locale.ROOT));
  }

  /**
   * Checks {@code value} against this property's kind and choices and returns it normalized (choices lower-cased,
   * whitespace trimmed).
   *
   * @throws SQLException SQLSTATE 22023 naming the property, the bad value and what is allowed
   */
  public String validate(String value) throws SQLException {
    return validate(value, "property '" + propertyName + "'");
  }

  /**
   * {@link #validate(String)} for a value from {@code source} (a system property or an environment variable), which
   * the message names.
   */
  public String validate(String value, String source) throws SQLException {
    String trimmed = value.trim();
    switch (kind) {
      case CHOICE:
      case BOOLEAN:
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (Arrays.asList(choices).contains(lower)) {
          return lower;
        }
        throw invalid(value, source, "one of " + String.join(", ", choices));
      case POSITIVE_INT:
        if (parseLong(trimmed) >= 1 && parseLong(trimmed) <= Integer.MAX_VALUE) {
          return trimmed;
        }
        throw invalid(value, source, "a whole number from 1 to " + Integer.MAX_VALUE);
      case COUNT:
        if (parseLong(trimmed) >= minimum && parseLong(trimmed) <= maximum) {
          return trimmed;
        }
        throw invalid(value, source, "a whole number from " + minimum + " to " + maximum);
      case MILLIS:
        // Bounded by what every consumer can hold without overflow: int timeouts, nanosecond deadlines.
        if (parseLong(trimmed) >= 0 && parseLong(trimmed) <= MAX_MILLIS) {
          return trimmed;
        }
        throw invalid(value, source, "a whole number of milliseconds from 0 to " + MAX_MILLIS + " (about 24.8 days)");
      case ENDPOINT:
        EndpointSyntax.parse(trimmed, source, SqlStates.INVALID_PARAMETER_VALUE);
        return trimmed;
      case STRING:
      default:
        if (!trimmed.isEmpty()) {
          return trimmed;
        }
        throw invalid(value, source, "a non-empty value");
    }
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private SQLException invalid(String value, String source, String allowed) {
    return SqlStates.invalidParameter("Invalid value '" + value + "' for " + source + ": expected " + allowed + ". "
        + firstSentence(description));
  }

  private static String firstSentence(String text) {
    int end = text.indexOf(". ");
    return end < 0 ? text : text.substring(0, end + 1);
  }

  /** This property as JDBC reports it from {@link java.sql.Driver#getPropertyInfo}. */
  public DriverPropertyInfo toDriverPropertyInfo(Properties given) {
    DriverPropertyInfo info = new DriverPropertyInfo(propertyName, given.getProperty(propertyName, defaultValue));
    info.description = description;
    info.choices = choices == null ? null : choices.clone();
    info.required = false;
    return info;
  }
}
