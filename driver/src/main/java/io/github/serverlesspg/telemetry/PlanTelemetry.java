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
  private final QueryTracer queryTracer;
  /** Built on first use with an OpenTelemetry instance: without one, no OpenTelemetry class is loaded. */
  private volatile PlanAttributes attributes;

  PlanTelemetry(ConnectionPlan plan, TargetTelemetry target) {
    this.plan = plan;
    this.target = target;
    this.queryTracer = new QueryTracer(this, plan.queryText(), target.queryStats());
  }

  TargetTelemetry target() {
    return target;
  }

  Attributes connectAttributes() {
    return attributes().connect;
  }

  /** The attributes of every query of the plan: system, namespace, server address and port. */
  Attributes queryAttributes() {
    return attributes().query;
  }

  private PlanAttributes attributes() {
    PlanAttributes current = attributes;
    if (current == null) {
      current = new PlanAttributes(plan); // racing threads build equal copies
      attributes = current;
    }
    return current;
  }

  /** The span attributes that depend on the plan alone. */
  private static final class PlanAttributes {
    final Attributes query;
    final Attributes connect;

    PlanAttributes(ConnectionPlan plan) {
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
      query = common.build();
      AttributesBuilder connectBuilder = query.toBuilder().put(MODE, plan.mode().name().toLowerCase(Locale.ROOT));
      if (plan.platform() != null) {
        connectBuilder.put(PLATFORM, plan.platform());
      }
      if (plan.provider() != null) {
        connectBuilder.put(PROVIDER, plan.provider());
      }
      connect = connectBuilder.build();
    }
  }

  /**
   * Starts the connect span and makes it current; the caller must {@link ConnectTrace#end()} it. Null when there is
   * no OpenTelemetry instance to report to.
   */
  public ConnectTrace startConnect() {
    Instruments instruments = TelemetryProvider.active();
    if (instruments == null) {
      return null;
    }
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
    if (TelemetryProvider.active() == null) {
      // pgjdbc instantiates factories reflectively, which costs a cold start about 25 ms: only worth it when there
      // is an OpenTelemetry instance to report the phases to.
      return Map.of();
    }
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

  /**
   * Called when the plan's pool opens: counts it for its target and registers the target's MBean if it is not yet;
   * {@link PoolMetrics#poolClosed()} unregisters it when the target's last pool closes.
   */
  public void poolOpened() {
    target.poolOpened(JmxPolicy.shouldRegister(plan.jmx()), plan.mode().name().toLowerCase(Locale.ROOT),
        plan.primaryEndpoint().toString());
  }
}
