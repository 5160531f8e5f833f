package io.github.serverlesspg.config;

/**
 * Renders {@code docs/configuration.md} from {@link ServerlessPgProperty}, so the reference can never drift from
 * the code: a test compares the committed file with this output.
 */
public final class ConfigurationReference {
  private ConfigurationReference() {
  }

  /** The whole Markdown document. */
  public static String markdown() {
    StringBuilder doc = new StringBuilder();
    doc.append("# Configuration reference\n\n")
        .append("<!-- Generated from ServerlessPgProperty by ConfigurationReferenceTest; do not edit by hand. -->\n")
        .append("<!-- Regenerate: mvn -q -pl driver -am test -Dtest=ConfigurationReferenceTest -DupdateDocs=true"
            + " -Dsurefire.failIfNoSpecifiedTests=false -->\n\n")
        .append("Properties are set as URL parameters (`jdbc:serverless-pg://host/db?mode=transaction`), as ")
        .append("`java.util.Properties` passed to `DriverManager.getConnection`, or with ")
        .append("`ServerlessPgDataSource.setProperty`. Precedence, highest first: URL, `Properties`, environment ")
        .append("variables, the detected platform, defaults. Names are case-insensitive.\n\n")
        .append("Every key that is not listed here is pgjdbc's and passes through to pgjdbc unchanged (see ")
        .append("pgjdbc's documentation). A key that neither serverless-pg nor pgjdbc knows is logged once as a ")
        .append("warning naming the closest known key.\n\n")
        .append("| Property | Default | Allowed values | Environment | Description |\n")
        .append("|---|---|---|---|---|\n");
    for (ServerlessPgProperty property : ServerlessPgProperty.values()) {
      doc.append("| `").append(property.propertyName()).append("` | ")
          .append(property.defaultValue() == null ? "derived" : "`" + property.defaultValue() + "`").append(" | ")
          .append(allowed(property)).append(" | ")
          .append(property.environment() == null ? "" : property.environment()).append(" | ")
          .append(property.description()).append(" |\n");
    }
    doc.append("\n## Environment variables\n\n")
        .append("| Variable | Effect |\n|---|---|\n")
        .append("| `USE_TRANSACTION_MODE` | `true`: `mode=auto` resolves to `transaction`. |\n")
        .append("| `MAX_POOL_SIZE`, `INSTANCE_COUNT` | Default `maxConnections` = `MAX_POOL_SIZE / INSTANCE_COUNT`, ")
        .append("at least 1 (`INSTANCE_COUNT` defaults to 1). |\n")
        .append("| `NAME_SESSION`, `NAME_DIRECT` | For `jdbc:serverless-pg:env:NAME` URLs: the connection string ")
        .append("used when `mode=session` or `mode=direct` is requested (for example `DATABASE_URL_DIRECT`). |\n")
        .append("| `SERVERLESS_PG_MAX_IDLE_CONNECTIONS`, `SERVERLESS_PG_MAX_POOLS` | The process-wide ")
        .append("`maxIdleConnections` and `maxPools`, unless the system properties `serverlesspg.maxIdleConnections` ")
        .append("and `serverlesspg.maxPools` set them. |\n")
        .append("\n## libpq and Prisma parameters in `postgresql://` URLs\n\n")
        .append("| In the URL | Becomes |\n|---|---|\n")
        .append("| `sslmode`, `sslcert`, `sslkey`, `sslrootcert`, `sslpassword`, `options` | the pgjdbc property of ")
        .append("the same name |\n")
        .append("| `connect_timeout` | `connectTimeout` (seconds) |\n")
        .append("| `application_name`, `fallback_application_name` | `ApplicationName` |\n")
        .append("| `channel_binding` | `channelBinding` |\n")
        .append("| `target_session_attrs` | `targetServerType` (`read-write`/`primary` → `primary`, ")
        .append("`read-only`/`standby` → `secondary`, `prefer-standby` → `preferSecondary`, else `any`) |\n")
        .append("| `keepalives` | `tcpKeepAlive` |\n")
        .append("| `gssencmode`, `krbsrvname`, `sslnegotiation`, `dbname` | `gssEncMode`, `kerberosServerName`, ")
        .append("`sslNegotiation`, the database |\n")
        .append("| `pgbouncer=true` (Prisma) | the URL is a transaction pooler: `mode=auto` resolves to ")
        .append("`transaction` |\n")
        .append("| `connection_limit=N` (Prisma) | `maxConnections=N` |\n")
        .append("| `pool_timeout=S` (Prisma) | `acquireTimeout=S×1000` |\n")
        .append("| `schema` (Prisma) | `currentSchema` |\n")
        .append("| `socket_timeout` (Prisma) | `socketTimeout` |\n")
        .append("| `statement_cache_size=0` (Prisma) | `serverPrepare=off` |\n");
    return doc.toString();
  }

  private static String allowed(ServerlessPgProperty property) {
    String[] choices = property.choices();
    if (choices.length > 0) {
      return "`" + String.join("`, `", choices) + "`";
    }
    switch (property.kind()) {
      case POSITIVE_INT:
        return "integer ≥ 1";
      case MILLIS:
        return "milliseconds ≥ 0";
      case COUNT:
        return "integer " + property.minimum() + "–" + property.maximum();
      case ENDPOINT:
        return "`host:port`";
      default:
        return "text";
    }
  }
}
