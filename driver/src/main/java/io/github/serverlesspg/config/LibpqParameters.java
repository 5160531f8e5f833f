package io.github.serverlesspg.config;

import java.util.Locale;
import java.util.Map;

/**
 * Translates the query parameters of libpq connection URIs ({@code postgresql://...}, as Neon, Supabase, Vercel and
 * Railway dashboards hand them out) and Prisma's additions into pgjdbc's and our property names.
 */
final class LibpqParameters {
  /** libpq name to pgjdbc name, where they differ in spelling but not in meaning. */
  private static final Map<String, String> RENAMED = Map.ofEntries(
      Map.entry("connect_timeout", "connectTimeout"),
      Map.entry("application_name", "ApplicationName"),
      Map.entry("channel_binding", "channelBinding"),
      Map.entry("gssencmode", "gssEncMode"),
      Map.entry("krbsrvname", "kerberosServerName"),
      Map.entry("sslnegotiation", "sslNegotiation"),
      Map.entry("dbname", "PGDBNAME"),
      // Prisma: https://www.prisma.io/docs/orm/overview/databases/postgresql#arguments
      Map.entry("schema", "currentSchema"),
      Map.entry("socket_timeout", "socketTimeout"));

  private LibpqParameters() {
  }

  /**
   * Puts the translation of one URI parameter into {@code target}. Names that need no translation (pgjdbc's own,
   * ours, {@code sslmode}, {@code sslcert}, ...) are kept as written.
   */
  static void translate(String name, String value, Map<String, String> target) {
    switch (name) {
      case "target_session_attrs":
        target.put("targetServerType", targetServerType(value));
        break;
      case "keepalives":
        target.put("tcpKeepAlive", Boolean.toString(!"0".equals(value)));
        break;
      case "fallback_application_name":
        target.putIfAbsent("ApplicationName", value);
        break;
      case "pgbouncer":
        // Prisma's flag for "this URL is a transaction-mode PgBouncer".
        if (Boolean.parseBoolean(value)) {
          target.put(PGBOUNCER_FLAG, "true");
        }
        break;
      case "connection_limit":
        target.put(ServerlessPgProperty.MAX_CONNECTIONS.propertyName(), value);
        break;
      case "pool_timeout":
        target.put(ServerlessPgProperty.ACQUIRE_TIMEOUT.propertyName(), secondsToMillis(value));
        break;
      case "statement_cache_size":
        // Prisma's switch for named prepared statements; 0 is its PgBouncer advice.
        if ("0".equals(value.trim())) {
          target.put(ServerlessPgProperty.SERVER_PREPARE.propertyName(), "off");
        }
        break;
      default:
        target.put(RENAMED.getOrDefault(name, name), value);
    }
  }

  /** Marks a URL that Prisma's {@code pgbouncer=true} declares to be a transaction pooler; consumed by routing. */
  static final String PGBOUNCER_FLAG = "pgbouncer";

  private static String targetServerType(String libpqValue) {
    switch (libpqValue.toLowerCase(Locale.ROOT)) {
      case "read-write":
      case "primary":
        return "primary";
      case "read-only":
      case "standby":
        return "secondary";
      case "prefer-standby":
        return "preferSecondary";
      default:
        return "any";
    }
  }

  private static String secondsToMillis(String seconds) {
    try {
      return Long.toString(Math.multiplyExact(Long.parseLong(seconds.trim()), 1000L));
    } catch (NumberFormatException | ArithmeticException e) {
      return seconds; // left as written so that validation reports the bad value
    }
  }
}
