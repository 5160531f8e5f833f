package io.github.serverlesspg.physical;

import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.routing.ProbeVerdict;
import io.github.serverlesspg.routing.ProbeVerdicts;
import io.github.serverlesspg.spi.ConnectionMode;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * Makes a failed physical connect say what the user needs: pgjdbc's (or the pooler's) message and SQLSTATE are kept,
 * and the endpoint, database, user, resolved mode and, for the known cases, what to change are added. The original
 * exception is the cause. Never a password: the message is built from the plan's endpoint, database and user names
 * only, and pgjdbc's message was redacted by {@link PgjdbcConnector}.
 */
public final class ConnectFailureHints implements Connector {
  private final ConnectionPlan plan;
  private final ProbeVerdicts verdicts;
  private final Connector delegate;

  public ConnectFailureHints(ConnectionPlan plan, ProbeVerdicts verdicts, Connector delegate) {
    this.plan = plan;
    this.verdicts = verdicts;
    this.delegate = delegate;
  }

  @Override
  public Connection open() throws SQLException {
    try {
      return delegate.open();
    } catch (SQLException e) {
      throw explain(e, plan, plan.probeKey() == null ? null : verdicts.get(plan.probeKey()));
    }
  }

  /**
   * The failure with the endpoint, the mode and a hint added.
   *
   * @param verdict the endpoint's probe verdict when the plan depends on one and it is known, else null
   */
  static SQLException explain(SQLException failure, ConnectionPlan plan, ProbeVerdict verdict) {
    String original = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
    String endpoint = String.valueOf(plan.primaryEndpoint());
    StringBuilder message = new StringBuilder(original.strip());
    message.append(" [endpoint ").append(endpoint)
        .append(", database ").append(plan.database() == null ? "(user name)" : plan.database())
        .append(", user ").append(plan.user() == null ? "(none)" : plan.user())
        .append(", mode ").append(mode(plan, verdict)).append(']');
    String hint = hint(failure, original, plan, verdict, endpoint);
    if (hint != null) {
      message.append(" Hint: ").append(hint);
    }
    String state = failure.getSQLState();
    SQLException explained = failure instanceof SQLTransientConnectionException
        ? new SQLTransientConnectionException(message.toString(), state, failure.getErrorCode(), failure)
        : state != null && state.startsWith("08")
            ? new SQLNonTransientConnectionException(message.toString(), state, failure.getErrorCode(), failure)
            : new SQLException(message.toString(), state, failure.getErrorCode(), failure);
    return explained;
  }

  private static String mode(ConnectionPlan plan, ProbeVerdict verdict) {
    if (plan.awaitsProbe()) {
      return verdict == null ? "auto, before the probe (opened pooler-safe)"
          : (verdict.isPooler() ? "transaction" : "direct") + " (auto: probe found a " + verdict.attributeValue()
              + ")";
    }
    return plan.mode().name().toLowerCase(Locale.ROOT);
  }

  private static String hint(SQLException failure, String message, ConnectionPlan plan, ProbeVerdict verdict,
      String endpoint) {
    String lower = message.toLowerCase(Locale.ROOT);
    UnknownHostException unknownHost = cause(failure, UnknownHostException.class);
    if (unknownHost != null) {
      return "the host name " + plan.primaryEndpoint().host() + " does not resolve (DNS). Check the host in the "
          + "URL; a Kubernetes service name (name.namespace.svc.cluster.local) resolves only inside the cluster.";
    }
    if (cause(failure, ConnectException.class) != null || lower.contains("connection refused")
        || (lower.contains("connection to ") && lower.contains(" refused"))) {
      return "nothing accepts connections on " + endpoint + ". Check the host and port (PostgreSQL listens on "
          + "5432 by default, PgBouncer on 6432) and that the server or pooler is running.";
    }
    if (lower.contains("unsupported startup parameter")) {
      String parameter = message.substring(lower.indexOf("unsupported startup parameter")
          + "unsupported startup parameter".length()).replaceFirst("^[:\\s]+", "").split("[\\s\\]]")[0];
      return endpoint + " is a pooler: it rejects the startup parameter " + parameter + ". Use mode=transaction "
          + "(or mode=auto, the default, without a forced mode), which never sends it and applies currentSchema "
          + "per transaction; mode=session drops currentSchema from the startup too.";
    }
    // PgBouncer reports its own refusals with SQLSTATE 08P01; PostgreSQL uses 28P01 and 3D000.
    boolean throughPooler = "08P01".equals(failure.getSQLState()) || (verdict != null && verdict.isPooler())
        || (!plan.awaitsProbe() && plan.probeKey() == null && plan.mode() != ConnectionMode.DIRECT);
    if (lower.contains("authentication failed") || "28P01".equals(failure.getSQLState())
        || "28000".equals(failure.getSQLState())) {
      return throughPooler
          ? "the pooler at " + endpoint + " refused the credentials of user " + user(plan) + ". Check the password; "
              + "a pooler checks them against its own list (PgBouncer: auth_file or auth_query), which may not "
              + "match PostgreSQL's, and SCRAM through a pooler needs the same SCRAM secret on both."
          : "PostgreSQL at " + endpoint + " refused the credentials of user " + user(plan) + ". Check the user "
              + "name and password (the password property, or the URL's user:password@).";
    }
    if ("3D000".equals(failure.getSQLState()) || lower.contains("no such database")
        || (lower.contains("database") && lower.contains("does not exist"))) {
      return "the database " + (plan.database() == null ? "(the user name, since the URL names none)"
          : plan.database()) + " does not exist at " + endpoint + ". Check the database in the URL"
          + (throughPooler || lower.contains("no such database")
              ? "; a pooler knows only the databases of its configuration (PgBouncer: [databases])" : "")
          + ", or create the database.";
    }
    return null;
  }

  private static String user(ConnectionPlan plan) {
    return plan.user() == null ? "(none given)" : plan.user();
  }

  private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
