package io.github.serverlesspg.physical;

import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.routing.ProbeVerdict;
import io.github.serverlesspg.routing.ProbeVerdicts;
import io.github.serverlesspg.util.Log;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;

/**
 * Opens the connections of a plan that awaits the probe of its endpoint ({@code mode=auto}, no rule recognises the
 * endpoint). Until the endpoint's verdict is known, a connection is opened pooler-safe (no named server-side
 * prepares, no {@code search_path} or {@code options} startup parameter), probed, and the verdict recorded for the
 * whole process. Then:
 *
 * <ul>
 *   <li>pooler: the connection is kept as opened, and so are later ones;
 *   <li>PostgreSQL: the connection gets pgjdbc's prepare threshold back ({@code PGConnection.setPrepareThreshold});
 *       when the URL sets startup parameters the probe connection went without ({@code currentSchema},
 *       {@code options}) or a setting pgjdbc fixes at connect time ({@code readOnlyMode=always}), it is closed and a
 *       connection opened exactly as plain pgjdbc would instead: a schema set after login would not survive the
 *       {@code DISCARD ALL} the driver runs after session SQL, a startup {@code search_path} does. Later
 *       connections are opened that way directly.
 * </ul>
 *
 * <p>The probe costs one round trip on the first physical connection of each endpoint in the process, and nothing
 * after that: warm borrows never reach a connector.
 */
public final class ProbingConnector implements Connector {
  private static final Log LOG = Log.of(ProbingConnector.class);
  /** pgjdbc's default {@code connectTimeout}, in seconds. */
  private static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

  private final ConnectionPlan plan;
  private final Connector poolerSafe;
  private final Connector direct;
  private final ProbeVerdicts verdicts;
  /** The prepare threshold plain pgjdbc would use on this URL. */
  private final int directPrepareThreshold;
  /** The probe's bound: the connect's ({@code connectTimeout}, pgjdbc's 10 s by default). */
  private final int probeTimeoutMillis;

  /**
   * @param plan a plan that {@linkplain ConnectionPlan#awaitsProbe awaits the probe}
   * @param poolerSafe opens connections with {@code plan}'s URL and properties
   * @param direct opens connections with those of {@link ConnectionPlan#directForm()}
   */
  public ProbingConnector(ConnectionPlan plan, Connector poolerSafe, Connector direct, ProbeVerdicts verdicts) {
    this.plan = plan;
    this.poolerSafe = poolerSafe;
    this.direct = direct;
    this.verdicts = verdicts;
    ConnectionPlan directForm = plan.directForm();
    this.directPrepareThreshold = directForm.serverPrepare()
        ? threshold(directForm.pgjdbcProperties().getProperty(PGProperty.PREPARE_THRESHOLD.getName()))
        : 0;
    this.probeTimeoutMillis = connectTimeoutMillis(plan.pgjdbcProperties().getProperty("connectTimeout"));
  }

  @Override
  public Connection open() throws SQLException {
    ProbeVerdict known = verdicts.get(plan.probeKey());
    if (known != null) {
      plan.resolve(known); // fails before connecting when the URL cannot work through a pooler
      return known.isPooler() ? poolerSafe.open() : direct.open();
    }
    Connection connection = poolerSafe.open();
    boolean keep = false;
    try {
      ProbeVerdict observed = PoolerProbe.probe(connection, probeTimeoutMillis);
      ProbeVerdict standing = verdicts.record(plan.probeKey(), observed);
      if (standing == observed && LOG.isInfoEnabled()) {
        // Once per endpoint and process, on the cold path: the plan logged at the first connection said "not known".
        LOG.info("serverless-pg: {}", plan.resolve(standing).modeReason());
      }
      plan.resolve(standing);
      if (standing.isPooler()) {
        // A pooler, or a server although a racing probe found a pooler: pooler-safe suits both.
        keep = true;
        return connection;
      }
      if (observed.isPooler()) {
        throw SqlStates.unableToConnect("The endpoint " + plan.probeKey() + " answered as a pooler ("
            + observed.evidence() + ") after an earlier connection found PostgreSQL itself there ("
            + standing.evidence() + "). Set mode=transaction (pooler) or mode=direct (PostgreSQL) in the URL.");
      }
      if (plan.probeConnectionFitsDirect() && directPrepareThreshold >= 0) {
        connection.unwrap(PGConnection.class).setPrepareThreshold(directPrepareThreshold);
        keep = true;
        return connection;
      }
    } finally {
      if (!keep) {
        closeQuietly(connection);
      }
    }
    return direct.open();
  }

  private static int threshold(String configured) {
    String value = configured != null ? configured : PGProperty.PREPARE_THRESHOLD.getDefaultValue();
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException | NullPointerException e) {
      return -1; // pgjdbc will reject it on the direct connection, with its own message
    }
  }

  private static int connectTimeoutMillis(String seconds) {
    int value = 0;
    try {
      value = seconds == null ? 0 : Integer.parseInt(seconds.trim());
    } catch (NumberFormatException e) {
      // pgjdbc rejects it on connect; the default applies here
    }
    return (value > 0 ? value : DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000;
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException | RuntimeException ignored) {
      // discarded either way
    }
  }
}
