package io.github.serverlesspg.telemetry;

import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_NAMESPACE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.DB_SYSTEM_NAME;
import static io.github.serverlesspg.telemetry.SemanticAttributes.MODE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.PLATFORM;
import static io.github.serverlesspg.telemetry.SemanticAttributes.PROVIDER;
import static io.github.serverlesspg.telemetry.SemanticAttributes.SERVER_ADDRESS;
import static io.github.serverlesspg.telemetry.SemanticAttributes.SERVER_PORT;

import io.github.serverlesspg.logical.ExecutionTracer;
import io.github.serverlesspg.physical.Connector;
import io.github.serverlesspg.physical.PoolObserver;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.spi.Endpoint;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The telemetry of one connection plan: its query tracer (whose attributes depend on the plan's database and
 * {@code queryText} setting), its connect spans, and the pgjdbc socket factories that time connect phases.
 */
public final class PlanTelemetry {
  private static final String SOCKET_FACTORY = "socketFactory";
  private static final String SSL_FACTORY = "sslfactory";

  private final ConnectionPlan plan;
  private final TargetTelemetry target;
  private final Attributes connectAttributes;
  private final QueryTracer queryTracer;

  PlanTelemetry(ConnectionPlan plan, TargetTelemetry target) {
    this.plan = plan;
    this.target = target;
    Endpoint endpoint = plan.primaryEndpoint();
    // pgjdbc connects to the user's own database when none is named: that is the namespace then.
    String namespace = plan.database() != null ? plan.database() : plan.user();
    AttributesBuilder common = Attributes.builder()
        .put(DB_SYSTEM_NAME, SemanticAttributes.DB_SYSTEM)
        .put(SERVER_ADDRESS, endpoint.host())
        .put(SERVER_PORT, (long) endpoint.port());
    if (namespace != null) {
      common.put(DB_NAMESPACE, namespace);
    }
    Attributes queryAttributes = common.build();
    AttributesBuilder connect = queryAttributes.toBuilder()
        .put(MODE, plan.mode().name().toLowerCase(Locale.ROOT));
    if (plan.platform() != null) {
      connect.put(PLATFORM, plan.platform());
    }
    if (plan.provider() != null) {
      connect.put(PROVIDER, plan.provider());
    }
    this.connectAttributes = connect.build();
    this.queryTracer = new QueryTracer(queryAttributes, plan.queryText(), target.queryStats());
  }

  TargetTelemetry target() {
    return target;
  }

  Attributes connectAttributes() {
    return connectAttributes;
  }

  /** Starts the connect span and makes it current; the caller must {@link ConnectTrace#end()} it. */
  public ConnectTrace startConnect() {
    Instruments instruments = TelemetryProvider.instruments();
    target.ensureGauges(instruments);
    return new ConnectTrace(this, instruments);
  }

  public ExecutionTracer queryTracer() {
    return queryTracer;
  }

  public PoolObserver poolObserver() {
    return target.poolMetrics();
  }

  /**
   * The pgjdbc properties that time TCP and TLS: our {@code socketFactory} and {@code sslfactory}, each only if the
   * user set none (in the properties or the URL), so that their factory is never replaced.
   */
  public Map<String, String> pgjdbcOverrides() {
    Properties merged = org.postgresql.Driver.parseURL(plan.pgjdbcUrl(), plan.pgjdbcProperties());
    Map<String, String> overrides = new LinkedHashMap<>();
    if (merged != null && merged.getProperty(SOCKET_FACTORY) == null) {
      overrides.put(SOCKET_FACTORY, TimingSocketFactory.class.getName());
    }
    if (merged != null && merged.getProperty(SSL_FACTORY) == null) {
      overrides.put(SSL_FACTORY, TimingSslSocketFactory.class.getName());
    }
    return overrides;
  }

  /** Wraps the plan's connector so that new physical connections report their phases. */
  public Connector timed(Connector connector) {
    return new TimedConnector(connector, plan.primaryEndpoint().host(), target.name());
  }

  /** Called when the plan's pool opens: registers the target's MBean (once). */
  public void poolOpened() {
    if (JmxPolicy.shouldRegister(plan.jmx())) {
      target.registerMBean(plan.mode().name().toLowerCase(Locale.ROOT), plan.primaryEndpoint().toString());
    }
  }
}
