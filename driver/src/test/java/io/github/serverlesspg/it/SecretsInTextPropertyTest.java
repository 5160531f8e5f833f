package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A marker secret, placed as a password (in {@code Properties}, in the URL's query and user info, in an {@code env:}
 * URL), as the value of secret query parameters and as a literal of the SQL, never appears in any text the driver
 * produces on any path: errors of every URL form, warnings, log lines (this class runs in a JVM of its own with every
 * logger at DEBUG, see the driver's POM), spans, {@code explain()}, health JSON, MBean attributes and
 * {@code toString()}s. Against PostgreSQL directly and through PgBouncer in transaction and session mode.
 */
class SecretsInTextPropertyTest {
  private static final String ROLE = "secrets_marker";
  private static DatabaseEnvironment environment;
  private static InMemorySpanExporter spans;
  private static OpenTelemetrySdk sdk;
  /** Log output captured over all tries, to prove the capture works: a try that opens no new pool may log nothing. */
  private static long loggedBytes;

  @BeforeContainer
  static void start() {
    environment = DatabaseEnvironment.shared();
    spans = InMemorySpanExporter.create();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build();
    ServerlessPgDriver.setOpenTelemetry(sdk);
  }

  @AfterContainer
  static void stop() {
    ServerlessPgDriver.setOpenTelemetry(null);
    sdk.close();
    PhysicalConnectionCache.global().closeIdle("test finished");
    assertThat(loggedBytes).as("log lines were captured").isPositive();
  }

  @Property(tries = 3)
  void aMarkerSecretNeverAppearsInAnyTextTheDriverProduces(@ForAll("markers") String marker) throws Exception {
    PostgresServer postgres = environment.postgres();
    setRolePassword(postgres, marker);
    spans.reset();
    List<String> texts = new ArrayList<>();
    PrintStream originalErr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      badUrls(postgres, marker, texts);
      for (String mode : List.of("direct", "transaction", "session")) {
        connectAndUse(mode, marker, texts);
      }
    } finally {
      System.setErr(originalErr);
      PhysicalConnectionCache.global().closeIdle("try finished");
    }
    texts.add(logs.toString(StandardCharsets.UTF_8));
    for (SpanData span : spans.getFinishedSpanItems()) {
      texts.add(span.getName() + span.getAttributes() + span.getStatus() + span.getEvents());
    }
    loggedBytes += logs.size();
    for (String text : texts) {
      assertThat(text).doesNotContain(marker);
    }
  }

  /** Every URL form with the marker as password or secret parameter, each failing in its own way. */
  private static void badUrls(PostgresServer postgres, String marker, List<String> texts) {
    String hostPort = postgres.host() + ":" + postgres.port();
    String database = postgres.database();
    List<String> urls = List.of(
        "jdbc:serverless-pg:postgresql://u:" + marker + "@host:99999/d",
        "jdbc:serverless-pg:postgresql://u:" + marker + "?x@127.0.0.1:1/d?connect_timeout=2",
        "jdbc:serverless-pg:postgresql://u:" + marker + "/x@host/db",
        "jdbc:serverless-pg:postgresql://u:" + marker + "@host/d%zz",
        "jdbc:serverless-pg:postgres://u:" + marker + "@[::1/d",
        "jdbc:serverless-pg://u:" + marker + "@host/db",
        "jdbc:serverless-pg://h:0/d?password=" + marker,
        "jdbc:serverless-pg://" + hostPort + "/" + database + "?password=" + marker + "&maxConnections=zero",
        "jdbc:serverless-pg://" + hostPort + "/" + database + "?password=" + marker + "&mode=bogus",
        "jdbc:serverless-pg://127.0.0.1:1/" + database + "?user=u&password=" + marker + "&connectTimeout=2",
        "jdbc:serverless-pg://" + hostPort + "/" + database + "?user=" + ROLE + "&password=wrong"
            + "&sslpassword=" + marker,
        "jdbc:serverless-pg://" + hostPort + "/" + database + "?user=nobody&password=" + marker,
        "jdbc:serverless-pg:env:1BAD?password=" + marker,
        "jdbc:serverless-pg:env:SPG_UNSET_VARIABLE?user=u&password=" + marker,
        "jdbc:serverless-pg:env:SPG_UNSET_VARIABLE?mode=direct&password=" + marker,
        "jdbc:serverless-pg:mysql://u:" + marker + "@h/d");
    for (String url : urls) {
      texts.add(failure(() -> DriverManager.getConnection(url)));
      texts.add(failure(() -> ServerlessPgDriver.explain(url, new Properties())));
      ServerlessPgDataSource dataSource = new ServerlessPgDataSource(url);
      texts.add(dataSource.toString());
      texts.add(failure(() -> dataSource.getConnection()));
      texts.add(failure(() -> dataSource.getConnection(ROLE, marker)));
    }
    Properties wrong = new Properties();
    wrong.setProperty("user", ROLE);
    wrong.setProperty("password", marker + "x");
    texts.add(failure(() -> DriverManager.getConnection("jdbc:serverless-pg://" + hostPort + "/" + database, wrong)));
  }

  /** A working connection with the marker as password, a SET literal holding it, health, explain and MBeans. */
  private static void connectAndUse(String mode, String marker, List<String> texts) throws Exception {
    PostgresServer postgres = environment.postgres();
    boolean direct = mode.equals("direct");
    PgBouncerServer pooler = direct ? null : environment.pooler(mode.equals("transaction")
        ? io.github.serverlesspg.testsupport.PoolMode.TRANSACTION : io.github.serverlesspg.testsupport.PoolMode.SESSION);
    String host = direct ? postgres.host() : pooler.host();
    int port = direct ? postgres.port() : pooler.port();
    // PgBouncer knows only the fixture's user: through it the marker is a SET literal and a wrong password.
    String user = direct ? ROLE : postgres.user();
    String password = direct ? marker : postgres.password();
    List<String> urls = List.of(
        "jdbc:serverless-pg://" + host + ":" + port + "/" + postgres.database() + "?mode=" + mode
            + "&jmx=on&ApplicationName=secrets-" + mode + "&user=" + user + "&password=" + encode(password),
        "jdbc:serverless-pg:postgresql://" + user + ":" + encode(password) + "@" + host + ":" + port + "/"
            + postgres.database() + "?mode=" + mode + "&jmx=on&application_name=secrets-" + mode);
    for (String url : urls) {
      try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
        // Emulated per transaction in transaction mode (and logged there), plain SQL in the others.
        texts.add(failure(() -> statement.execute("SET app.api_key = '" + marker + "'")));
        texts.add(failure(() -> statement.execute("SELECT set_config('app.api_key', '" + marker + "', false)")));
        statement.execute("SELECT set_config('app.api_key', '" + marker + "', true) IS NOT NULL");
        texts.add(warnings(connection.getWarnings()));
        texts.add(warnings(statement.getWarnings()));
        texts.add(connection.toString());
        texts.add(statement.toString());
      }
      texts.add(ServerlessPgDriver.explain(url, new Properties()));
      texts.add(ServerlessPgDriver.health(url, new Properties()).toJson());
      texts.add(failure(() -> DriverManager.getConnection(url.replace(encode(password), encode(marker) + "z"))));
      ServerlessPgDataSource dataSource = new ServerlessPgDataSource(url);
      texts.add(dataSource.toString());
      texts.add(dataSource.explain());
      texts.add(failure(() -> dataSource.getConnection(user, marker + "y")));
    }
    texts.add(mbeanAttributes());
  }

  private static String mbeanAttributes() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    StringBuilder text = new StringBuilder();
    for (ObjectName name : server.queryNames(new ObjectName("io.github.serverlesspg:*"), null)) {
      text.append(name).append('\n');
      for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
        text.append(attribute.getName()).append('=').append(server.getAttribute(name, attribute.getName()))
            .append('\n');
      }
    }
    assertThat(text).as("the targets' MBeans are registered").contains("type=Pool");
    return text.toString();
  }

  interface Call {
    Object run() throws Exception;
  }

  /** The full text of the failure, causes included, or of the result when there is none. */
  private static String failure(Call call) {
    try {
      Object result = call.run();
      if (result instanceof AutoCloseable) {
        ((AutoCloseable) result).close();
      }
      return String.valueOf(result);
    } catch (Exception e) {
      StringBuilder text = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        text.append(t).append('\n');
        if (t instanceof SQLException && ((SQLException) t).getNextException() != null) {
          text.append(((SQLException) t).getNextException()).append('\n');
        }
      }
      return text.toString();
    }
  }

  private static String warnings(SQLWarning warning) {
    StringBuilder text = new StringBuilder();
    for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
      text.append(w).append('\n');
    }
    return text.toString();
  }

  private static void setRolePassword(PostgresServer postgres, String password) throws SQLException {
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("do $$ begin create role " + ROLE + " login; "
          + "exception when duplicate_object then null; end $$");
      statement.execute("alter role " + ROLE + " password '" + password + "'");
      statement.execute("grant connect on database " + postgres.database() + " to " + ROLE);
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** Distinctive enough never to occur by chance; letters and digits only, so that it is the same encoded. */
  @Provide
  Arbitrary<String> markers() {
    return Arbitraries.strings().alpha().numeric().ofLength(12).map(s -> "Mk" + s + "Zq");
  }
}
