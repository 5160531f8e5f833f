package io.github.serverlesspg.cli.doctor;

import io.github.serverlesspg.cli.UrlMasking;
import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.routing.ConnectionPlanner;
import io.github.serverlesspg.routing.Extensions;
import io.github.serverlesspg.routing.ProbeVerdict;
import io.github.serverlesspg.routing.UnknownPropertyReporter;
import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Connects to the endpoint a URL leads to, step by step as a cold start does (DNS, TCP, TLS, authentication), then
 * asks the server what it is (pooler or PostgreSQL, version, connection limits) and checks the driver's plan and
 * the serverless checklist against those facts. Every step is timed; a step that fails says what to change.
 *
 * <p>The connection it opens is a plain pgjdbc connection with exactly the URL and properties the driver would
 * hand to pgjdbc, so what works here works for the driver's physical connections.
 */
public final class Doctor {
  private static final int TIMEOUT_MILLIS = 5_000;
  private static final int TIMEOUT_SECONDS = TIMEOUT_MILLIS / 1000;
  /** Seed target for the connect phases of a cold start. */
  private static final double COLD_CONNECT_TARGET_MILLIS = 100;
  /** Per-instance connections a transaction pooler deployment should stay within (seed: 1-3 per instance). */
  private static final int SERVERLESS_CONNECTIONS_PER_INSTANCE = 3;
  private static final String ENV_PREFIX = "jdbc:serverless-pg:env:";

  private final Environment environment;

  public Doctor(Environment environment) {
    this.environment = environment;
  }

  public DoctorReport examine(String url) {
    DoctorReport.Builder report = new DoctorReport.Builder(UrlMasking.mask(url));
    long start = System.nanoTime();
    ConnectionPlan plan;
    try {
      plan = new ConnectionPlanner(Extensions.installed(), new UnknownPropertyReporter())
          .plan(url, new Properties(), environment);
    } catch (SQLException e) {
      return report.step("plan", "URL and plan", Verdict.FAIL, since(start),
          UrlMasking.mask(e.getMessage()) + " (SQLSTATE " + e.getSQLState() + ")",
          "correct the URL as the message says; `explain URL` shows what the driver makes of it")
          .cannotConnect().build();
    }
    Properties pgjdbc = plan.pgjdbcProperties();
    report.secret(pgjdbc.getProperty("password")).secret(pgjdbc.getProperty("sslpassword"));
    new Examination(url, plan, pgjdbc, report).run(start);
    return report.build();
  }

  private static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  /** The state of one run. */
  private final class Examination {
    private final String url;
    /** Resolved with the doctor's own pooler verdict when {@code mode=auto} leaves the endpoint to the probe. */
    private ConnectionPlan plan;
    private final Properties pgjdbc;
    private final DoctorReport.Builder report;
    private final Endpoint endpoint;
    private final String sslmode;
    private boolean loopback;
    private Verdict tlsVerdict = Verdict.INFO;
    private String tlsSummary = "not checked";
    private PoolerProbe.Kind pooler;
    private double connectMillis;
    private int availableServerConnections = -1;
    private int usedServerConnections = -1;
    private String limitsSummary;
    private Verdict limitsVerdict = Verdict.INFO;
    private String limitsFix;

    Examination(String url, ConnectionPlan plan, Properties pgjdbc, DoctorReport.Builder report) {
      this.url = url;
      this.plan = plan;
      this.pgjdbc = pgjdbc;
      this.report = report;
      this.endpoint = plan.primaryEndpoint();
      this.sslmode = pgjdbc.getProperty("sslmode", "prefer").toLowerCase(Locale.ROOT);
    }

    void run(long planStart) {
      String mode = name(plan.mode());
      report.fact("mode", mode).fact("modeReason", plan.modeReason())
          .fact("platform", plan.platform()).fact("provider", plan.provider())
          .fact("endpoint", endpoint.toString()).fact("serverPreparedStatements", plan.serverPrepare())
          .fact("maxConnections", plan.pool().maxConnections());
      report.step("plan", "URL and plan", Verdict.OK, since(planStart), "mode " + mode + " (" + plan.modeReason()
          + "); connects to " + join(plan) + "; server-side prepared statements "
          + (plan.serverPrepare() ? "allowed" : "off") + "; at most " + plan.pool().maxConnections()
          + " physical connection(s) per process", null);

      InetAddress[] addresses = dns();
      if (addresses == null) {
        return;
      }
      InetSocketAddress address = new InetSocketAddress(addresses[0], endpoint.port());
      if (!tcp(address)) {
        return;
      }
      WireProbe probe = new WireProbe(address, endpoint.host(), TIMEOUT_MILLIS);
      WireProbe.Tls tls = tls(probe);
      authenticationMethod(probe, tls);
      try (Connection connection = login()) {
        if (connection == null) {
          return;
        }
        pooler(connection);
        server(connection);
      } catch (SQLException e) {
        report.step("session", "queries", Verdict.FAIL, null, describe(e),
            "the endpoint accepted the login but failed a plain query; check its logs").cannotConnect();
        return;
      }
      transactionPooling();
      limits();
      checklist();
    }

    private InetAddress[] dns() {
      long start = System.nanoTime();
      try {
        InetAddress[] addresses = InetAddress.getAllByName(endpoint.host());
        loopback = Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        report.step("dns", "DNS", Verdict.OK, since(start), endpoint.host() + " -> " + Arrays.stream(addresses)
            .map(InetAddress::getHostAddress).collect(Collectors.joining(", ")), null);
        return addresses;
      } catch (UnknownHostException e) {
        report.step("dns", "DNS", Verdict.FAIL, since(start), "cannot resolve " + endpoint.host(),
            "check the host name in the URL (a typo, or a private name this machine cannot resolve)")
            .cannotConnect();
        return null;
      }
    }

    private boolean tcp(InetSocketAddress address) {
      long start = System.nanoTime();
      try (Socket socket = new Socket()) {
        socket.connect(address, TIMEOUT_MILLIS);
        report.step("tcp", "TCP", Verdict.OK, since(start), "connected to " + address.getAddress().getHostAddress()
            + ":" + address.getPort(), null);
        return true;
      } catch (IOException e) {
        report.step("tcp", "TCP", Verdict.FAIL, since(start), "cannot connect to "
            + address.getAddress().getHostAddress() + ":" + address.getPort() + ": " + e.getMessage(),
            "check the port, that the server or pooler is running, and firewalls or security groups between here"
                + " and there").cannotConnect();
        return false;
      }
    }

    private WireProbe.Tls tls(WireProbe probe) {
      long start = System.nanoTime();
      WireProbe.Tls tls;
      try {
        tls = probe.tls();
      } catch (IOException e) {
        tlsVerdict = Verdict.WARN;
        tlsSummary = "TLS probe failed: " + e.getMessage();
        report.step("tls", "TLS", Verdict.WARN, since(start), tlsSummary, null);
        return null;
      }
      double millis = since(start);
      boolean verifies = sslmode.equals("verify-full") || sslmode.equals("verify-ca");
      report.fact("tlsOffered", tls.offered()).fact("sslmode", sslmode);
      String fix = null;
      if (!tls.offered()) {
        tlsSummary = "the endpoint does not offer TLS (sslmode=" + sslmode + ")";
        if (verifies || sslmode.equals("require")) {
          tlsVerdict = Verdict.FAIL;
          fix = "enable TLS on the server or pooler (PgBouncer: client_tls_sslmode, client_tls_key_file,"
              + " client_tls_cert_file), or connect to the endpoint that offers it";
        } else if (loopback) {
          tlsVerdict = Verdict.INFO;
          tlsSummary += "; fine on loopback";
        } else {
          tlsVerdict = Verdict.WARN;
          tlsSummary += "; the password and data cross the network unencrypted";
          fix = "enable TLS on the endpoint and use sslmode=verify-full";
        }
      } else {
        report.fact("tlsProtocol", tls.protocol()).fact("certificateVerified", tls.verified());
        tlsSummary = tls.protocol() + " " + tls.cipherSuite() + "; certificate " + tls.subject() + " issued by "
            + tls.issuer() + ", valid until " + tls.notAfter() + "; "
            + (tls.verified() ? "verifies against the JDK trust store and names " + endpoint.host()
                : "does not verify: " + tls.verificationProblem())
            + "; sslmode=" + sslmode;
        if (sslmode.equals("disable")) {
          tlsVerdict = loopback ? Verdict.INFO : Verdict.WARN;
          fix = loopback ? null : "remove sslmode=disable and use sslmode=verify-full";
        } else if (verifies) {
          tlsVerdict = Verdict.OK;
        } else if (loopback) {
          tlsVerdict = Verdict.INFO;
          tlsSummary += " (certificate not checked; fine on loopback)";
        } else {
          tlsVerdict = Verdict.WARN;
          tlsSummary += " (encrypted, but the certificate is not checked: a man in the middle can read the password)";
          fix = "sslmode=verify-full" + (tls.verified() ? ""
              : " with sslrootcert=<the CA certificate of your provider>");
        }
      }
      report.step("tls", "TLS", tlsVerdict, millis, tlsSummary, fix);
      return tls;
    }

    private void authenticationMethod(WireProbe probe, WireProbe.Tls tls) {
      long start = System.nanoTime();
      String user = plan.user() != null ? plan.user() : System.getProperty("user.name");
      String database = plan.database() != null ? plan.database() : user;
      boolean useTls = tls != null && tls.offered() && !sslmode.equals("disable");
      try {
        WireProbe.Authentication answer = probe.authentication(user, database, useTls);
        if (answer.error() != null) {
          report.step("auth-method", "authentication method", Verdict.INFO, since(start),
              "the endpoint refused the startup of " + user + "@" + database + ": " + answer.error(), null);
          return;
        }
        report.fact("authMethod", answer.method());
        report.step("auth-method", "authentication method", Verdict.INFO, since(start),
            answer.method() + " for " + user + "@" + database + (useTls ? " over TLS" : ""), null);
      } catch (IOException e) {
        report.step("auth-method", "authentication method", Verdict.INFO, since(start),
            "not readable: " + e.getMessage(), null);
      }
    }

    /** The login exactly as the driver's physical connections would do it. Null (and a report) when refused. */
    private Connection login() {
      long start = System.nanoTime();
      try {
        Connection connection = connect(pgjdbc);
        double firstMillis = since(start);
        // the first login of this JVM also loads pgjdbc's classes; a second one is what a new connection costs
        long again = System.nanoTime();
        connect(pgjdbc).close();
        connectMillis = since(again);
        report.fact("connectMillis", connectMillis);
        report.step("login", "login (pgjdbc)", Verdict.OK, firstMillis, "logged in as "
            + connection.getMetaData().getUserName() + " to " + connection.getCatalog()
            + " with the URL and properties the driver uses: " + UrlMasking.mask(plan.pgjdbcUrl())
            + String.format(Locale.ROOT, "; a second login took %.1f ms", connectMillis), null);
        return connection;
      } catch (SQLException e) {
        report.step("login", "login (pgjdbc)", Verdict.FAIL, since(start), describe(e), loginFix(e))
            .cannotConnect();
        return null;
      }
    }

    private Connection connect(Properties properties) throws SQLException {
      Properties bounded = new Properties();
      bounded.putAll(properties);
      bounded.putIfAbsent("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
      bounded.putIfAbsent("socketTimeout", Integer.toString(3 * TIMEOUT_SECONDS));
      bounded.putIfAbsent("ApplicationName", "serverless-pg doctor");
      Connection connection = new org.postgresql.Driver().connect(plan.pgjdbcUrl(), bounded);
      if (connection == null) {
        throw new SQLException("pgjdbc did not accept " + UrlMasking.mask(plan.pgjdbcUrl()), "08001");
      }
      return connection;
    }

    private void pooler(Connection connection) throws SQLException {
      long start = System.nanoTime();
      Properties quick = plan.pgjdbcProperties();
      // a second client that waits for a backend (session pooler, pool exhausted) gives up quickly
      quick.setProperty("socketTimeout", "3");
      PoolerProbe.Result result = PoolerProbe.probe(connection, () -> connect(quick));
      pooler = result.kind();
      report.fact("pooler", name(pooler)).fact("backendPid", result.backendPid())
          .fact("startupPid", result.reportedPid());
      String what = switch (pooler) {
        case NONE -> "PostgreSQL directly";
        case TRANSACTION -> "a transaction-mode pooler";
        case SESSION -> "a session-mode pooler";
      };
      report.step("pooler", "pooler detection", Verdict.INFO, since(start), what + ": " + result.evidence(), null);
      if (plan.awaitsProbe()) {
        // The driver probes such an endpoint on its first connection, with the same signal: show what it will do.
        plan = plan.resolve(new ProbeVerdict(pooler == PoolerProbe.Kind.NONE ? ProbeVerdict.Kind.SERVER
            : ProbeVerdict.Kind.POOLER, result.evidence()));
        report.fact("mode", name(plan.mode())).fact("modeReason", plan.modeReason())
            .fact("serverPreparedStatements", plan.serverPrepare());
      }
    }

    private void server(Connection connection) throws SQLException {
      long start = System.nanoTime();
      String version;
      int maxConnections;
      int reserved;
      try (Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("select current_setting('server_version'),"
              + " current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int")) {
        result.next();
        version = result.getString(1);
        maxConnections = result.getInt(2);
        reserved = result.getInt(3);
      }
      report.fact("serverVersion", version).fact("serverMaxConnections", maxConnections)
          .fact("superuserReservedConnections", reserved);
      report.step("server", "server version", Verdict.INFO, since(start), "PostgreSQL " + version, null);

      start = System.nanoTime();
      availableServerConnections = maxConnections - reserved;
      try (Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery(
              "select count(*) from pg_stat_activity where backend_type = 'client backend'")) {
        result.next();
        usedServerConnections = result.getInt(1);
      } catch (SQLException e) {
        report.step("connections", "server connections", Verdict.INFO, since(start), "max_connections="
            + maxConnections + " (" + reserved + " reserved for superusers); current use not readable: "
            + e.getMessage(), null);
        return;
      }
      report.fact("serverConnectionsInUse", usedServerConnections);
      int percent = availableServerConnections <= 0 ? 100 : 100 * usedServerConnections / availableServerConnections;
      Verdict verdict = percent >= 90 ? Verdict.FAIL : percent >= 75 ? Verdict.WARN : Verdict.OK;
      report.step("connections", "server connections", verdict, since(start), usedServerConnections + " of "
          + availableServerConnections + " in use (" + percent + "%; max_connections=" + maxConnections + ", "
          + reserved + " reserved for superusers)" + (pooler == PoolerProbe.Kind.NONE ? ""
              : "; counted behind the pooler, its own server connections included"),
          verdict == Verdict.OK ? null : "new logins will soon fail with `sorry, too many clients already`"
              + " (53300): put a transaction pooler in front, lower maxConnections per instance, or find idle"
              + " sessions in pg_stat_activity");
    }

    private void transactionPooling() {
      ConnectionMode mode = plan.mode();
      Verdict verdict;
      String detail;
      String fix = null;
      if (pooler == PoolerProbe.Kind.TRANSACTION) {
        if (mode == ConnectionMode.TRANSACTION) {
          verdict = Verdict.OK;
          detail = "the driver runs in transaction mode: "
              + (plan.serverPrepare() ? "server-side prepared statements allowed (the provider's pooler supports"
                  + " them)" : "no named server-side prepared statements (prepareThreshold=0)")
              + ", no startup parameters the pooler rejects, session state (SET, setSchema, isolation) applied per"
              + " transaction or refused (sessionState=" + name(plan.sessionState()) + ")";
        } else {
          verdict = Verdict.FAIL;
          detail = "the endpoint is a transaction pooler but the driver resolved mode " + name(mode) + " ("
              + plan.modeReason() + "): pgjdbc will name server-side prepared statements after 5 executions"
              + " (`prepared statement \"S_1\" already exists` 42P05, `... does not exist` 26000), SET and"
              + " setSchema leak to other clients, and currentSchema/options are rejected at startup"
              + " (`unsupported startup parameter`)";
          fix = "use mode=transaction, or mode=auto (the default), which finds the pooler by itself; or set"
              + " USE_TRANSACTION_MODE=true in the environment";
        }
      } else if (pooler == PoolerProbe.Kind.SESSION) {
        verdict = Verdict.INFO;
        detail = "a session pooler keeps each client on one backend: session features work, but every idle"
            + " instance holds a backend; mode " + name(mode) + " is " + (mode == ConnectionMode.TRANSACTION
                ? "stricter than needed" : "right for it");
      } else if (mode == ConnectionMode.TRANSACTION) {
        verdict = Verdict.WARN;
        detail = "mode transaction against PostgreSQL itself: safe, but there is no pooler, so every instance"
            + " holds its own server connections";
        fix = "point the URL at the transaction pooler (Neon: the -pooler host; Supabase: port 6543; your"
            + " PgBouncer)";
      } else {
        verdict = Verdict.INFO;
        detail = "no pooler: mode " + name(mode) + " keeps pgjdbc's behaviour (server-side prepared statements,"
            + " session state) as it is";
      }
      report.step("transaction-pooler", "transaction pooling", verdict, null, detail, fix);
    }

    private void limits() {
      int perInstance = plan.pool().maxConnections();
      String instanceCount = environment.get(ConnectionPlanner.INSTANCE_COUNT);
      String maxPoolSize = environment.get(ConnectionPlanner.MAX_POOL_SIZE);
      Integer instances = positive(instanceCount);
      Integer poolSize = positive(maxPoolSize);
      StringBuilder detail = new StringBuilder("maxConnections=").append(perInstance).append(" per process");
      if (poolSize != null) {
        detail.append(" (MAX_POOL_SIZE=").append(poolSize).append(" / INSTANCE_COUNT=")
            .append(instances == null ? "1" : instances).append(')');
      }
      detail.append("; INSTANCE_COUNT ").append(instances == null ? "unset" : "= " + instances);
      detail.append(", MAX_POOL_SIZE ").append(poolSize == null ? "unset" : "= " + poolSize);
      int free = availableServerConnections < 0 ? -1
          : availableServerConnections - Math.max(0, usedServerConnections - 1);
      limitsVerdict = Verdict.OK;
      if (pooler == PoolerProbe.Kind.TRANSACTION) {
        // client connections of a transaction pooler hold a server connection only while a transaction runs
        detail.append("; instances x maxConnections = ").append(instances == null ? "?" : instances * perInstance)
            .append(" pooler clients, multiplexed over the pooler's own pool");
        if (poolSize != null && availableServerConnections >= 0 && poolSize > availableServerConnections) {
          detail.append("; MAX_POOL_SIZE ").append(poolSize).append(" is more than the ")
              .append(availableServerConnections).append(" connections PostgreSQL allows: fine as a budget of"
                  + " pooler clients, as long as the pooler's own pool (PgBouncer default_pool_size) stays within ")
              .append(availableServerConnections);
        }
        if (perInstance > SERVERLESS_CONNECTIONS_PER_INSTANCE && (instances != null || plan.platform() != null)) {
          limitsVerdict = Verdict.WARN;
          limitsFix = "1 to " + SERVERLESS_CONNECTIONS_PER_INSTANCE + " connections per instance are enough behind a"
              + " transaction pooler: set maxConnections or MAX_POOL_SIZE/INSTANCE_COUNT";
        }
      } else if (free >= 0) {
        // straight to PostgreSQL, or through a session pooler: every client connection is a server connection
        int fit = free / Math.max(1, perInstance);
        detail.append("; ").append(free).append(" server connections free: ").append(fit)
            .append(" instance(s) at ").append(perInstance).append(" each fit");
        Integer total = poolSize != null ? Integer.valueOf(poolSize)
            : instances != null ? Integer.valueOf(instances * perInstance) : null;
        if (total != null && total > free) {
          limitsVerdict = Verdict.FAIL;
          limitsFix = (poolSize != null ? "MAX_POOL_SIZE = " : "INSTANCE_COUNT x maxConnections = ") + total + " > "
              + free + " free server connections: new instances will get `sorry, too many clients already` (53300);"
              + " use a transaction pooler with mode=transaction, or lower the limits";
        } else if (total == null && plan.platform() != null && fit < 10) {
          limitsVerdict = Verdict.WARN;
          limitsFix = "a serverless platform scales out past " + fit + " instances; use a transaction pooler";
        }
      }
      limitsSummary = detail.toString();
      report.step("limits", "limits", limitsVerdict, null, limitsSummary, limitsFix);
    }

    /** The serverless checklist: pooled URL for the app, direct for migrations, reuse, validation, limits, ... */
    private void checklist() {
      boolean pooled = pooler == PoolerProbe.Kind.TRANSACTION || plan.mode() == ConnectionMode.TRANSACTION;
      if (pooled) {
        report.item("pooler", "pooled URL for the app", Verdict.OK, "the app connects through a pooler in "
            + "transaction mode", null);
      } else {
        report.item("pooler", "pooled URL for the app", plan.platform() != null ? Verdict.FAIL : Verdict.WARN,
            "the app URL goes to " + (pooler == PoolerProbe.Kind.SESSION ? "a session pooler" : "PostgreSQL directly")
                + (plan.platform() != null ? " on " + plan.platform() : "; fine for local development"),
            "in serverless deployments point the app at the transaction pooler (Neon: the -pooler host;"
                + " Supabase: port 6543; PgBouncer pool_mode=transaction)");
      }
      migrations(pooled);
      report.item("reuse", "connection reuse", plan.pool().reuse() ? Verdict.OK : Verdict.FAIL,
          plan.pool().reuse() ? "close() keeps the physical connection for the next getConnection of the process"
              + " (hold the DataSource in a static field, or use DriverManager)"
              : "reuse=false: every getConnection opens a new physical connection (a full cold connect each time)",
          plan.pool().reuse() ? null : "remove reuse=false");
      boolean validates = plan.pool().validationTimeoutMillis() > 0;
      report.item("validation", "validation after idle", validates ? Verdict.OK : Verdict.WARN,
          "connections idle longer than " + plan.pool().validationWindowMillis() + " ms are checked (timeout "
              + plan.pool().validationTimeoutMillis() + " ms) before use; dead ones are replaced",
          validates ? null : "set validationTimeout above 0");
      report.item("limits", "connection limits", limitsVerdict, limitsSummary, limitsFix);
      report.item("tls", "TLS", tlsVerdict, tlsSummary, tlsVerdict == Verdict.WARN || tlsVerdict == Verdict.FAIL
          ? "use sslmode=verify-full against a TLS endpoint" : null);
      timeouts();
      report.item("monitoring", "monitoring", plan.telemetry() ? Verdict.OK : Verdict.WARN, plan.telemetry()
          ? "connect, validation and query spans and metrics go to the OpenTelemetry API (install an SDK or the"
              + " Java agent in the app); ServerlessPgDriver.health(url, properties) gives the /api/health JSON"
          : "telemetry=off: no spans or metrics", plan.telemetry() ? null : "remove telemetry=off");
      report.item("cold-start", "cold connect time", connectMillis <= COLD_CONNECT_TARGET_MILLIS ? Verdict.OK
          : Verdict.WARN, String.format(Locale.ROOT, "%.1f ms for a new connection (DNS + TCP + TLS +"
              + " authentication) from here"
              + " (target < %.0f ms); warm invocations reuse the connection and skip all of it", connectMillis,
              COLD_CONNECT_TARGET_MILLIS), connectMillis <= COLD_CONNECT_TARGET_MILLIS ? null
              : "run the app in the database's region; measure from there");
    }

    private void migrations(boolean pooled) {
      String variable = environmentVariable();
      if (!pooled) {
        report.item("migrations", "direct URL for migrations", Verdict.OK, "this URL is direct: it suits"
            + " migrations (Flyway, Liquibase) as it is", null);
      } else if (variable != null && environment.get(variable + "_DIRECT") != null) {
        report.item("migrations", "direct URL for migrations", Verdict.OK, variable + "_DIRECT is set: "
            + "jdbc:serverless-pg:env:" + variable + "?mode=direct uses it for migrations", null);
      } else {
        report.item("migrations", "direct URL for migrations", Verdict.WARN, "no direct URL known for migrations:"
            + " migration tools hold session locks and run DDL that want a direct connection",
            variable != null ? "set " + variable + "_DIRECT to the direct connection string and run migrations"
                + " with jdbc:serverless-pg:env:" + variable + "?mode=direct"
                : "run migrations with the direct connection string and mode=direct (or mode=session)");
      }
    }

    private void timeouts() {
      String socketTimeout = pgjdbc.getProperty("socketTimeout");
      boolean bounded = socketTimeout != null && !socketTimeout.equals("0");
      String connectTimeout = pgjdbc.getProperty("connectTimeout");
      report.item("timeouts", "timeouts", bounded ? Verdict.OK : Verdict.WARN, "connectTimeout="
          + (connectTimeout == null ? "10 s (pgjdbc default)" : connectTimeout + " s") + ", socketTimeout="
          + (bounded ? socketTimeout + " s" : "none") + ", acquireTimeout=" + plan.pool().acquireTimeoutMillis()
          + " ms", bounded ? null : "add socketTimeout=<seconds> (a bit above your slowest query) so that a silent"
              + " network or frozen server fails the call instead of blocking the invocation until the platform"
              + " kills it");
    }

    private String environmentVariable() {
      if (!url.startsWith(ENV_PREFIX)) {
        return null;
      }
      String rest = url.substring(ENV_PREFIX.length());
      int query = rest.indexOf('?');
      return query < 0 ? rest : rest.substring(0, query);
    }

    private String loginFix(SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (state.equals("28P01") || message.contains("password authentication failed")
          || message.contains("SASL authentication failed")) {
        return "check the user and password; through a pooler, the pooler's own user list (PgBouncer auth_file or"
            + " auth_query) must know them too";
      }
      if (message.contains("unsupported startup parameter")) {
        return "the endpoint is a pooler that rejects a startup parameter: add mode=transaction so the driver"
            + " keeps it out of the startup packet";
      }
      if (state.equals("3D000")) {
        return "check the database name in the URL";
      }
      if (state.equals("53300") || message.contains("too many") || message.contains("no more connections")) {
        return "the server or pooler is full: put a transaction pooler in front, or lower maxConnections";
      }
      if (state.equals("28000")) {
        return "the server's pg_hba.conf does not let this user in from here (or without TLS): check sslmode"
            + " and the allowed addresses";
      }
      return "see the message; `explain URL` shows the exact URL and properties handed to pgjdbc";
    }
  }

  private static String describe(SQLException e) {
    return UrlMasking.mask(e.getMessage()) + " (SQLSTATE " + e.getSQLState() + ")";
  }

  private static Integer positive(String value) {
    if (value == null) {
      return null;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      return parsed > 0 ? parsed : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String join(ConnectionPlan plan) {
    return plan.endpoints().stream().map(Endpoint::toString).collect(Collectors.joining(","));
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
