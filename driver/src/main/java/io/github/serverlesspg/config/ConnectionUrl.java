package io.github.serverlesspg.config;

import io.github.serverlesspg.spi.Endpoint;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Parses the three URL forms of {@code jdbc:serverless-pg:}.
 *
 * <ol>
 *   <li>{@code jdbc:serverless-pg://host[:port][,host2[:port2]...]/database?key=value...}: exactly pgjdbc's syntax,
 *       parsed by pgjdbc itself so that both agree on every corner case.</li>
 *   <li>{@code jdbc:serverless-pg:postgresql://user:password@host:port/database?sslmode=require...} (or
 *       {@code postgres://}): the libpq connection URIs that hosting dashboards hand out, percent-decoded, with libpq
 *       and Prisma parameter names translated.</li>
 *   <li>{@code jdbc:serverless-pg:env:NAME}: either form above, read from environment variable {@code NAME}.</li>
 * </ol>
 *
 * <p>Errors are {@link SQLException}s with SQLSTATE 08001 whose messages never contain the password.
 */
public final class ConnectionUrl {
  private static final String ENV_FORM = "env:";
  private static final String JDBC_POSTGRESQL = "jdbc:postgresql:";

  private ConnectionUrl() {
  }

  /** Whether this driver handles the URL. */
  public static boolean accepts(String url) {
    return url != null && url.startsWith(ServerlessPgProperty.URL_PREFIX);
  }

  /**
   * Parses a {@code jdbc:serverless-pg:} URL.
   *
   * @throws SQLException 08001 when the URL is malformed or names an unset environment variable
   */
  public static ParsedUrl parse(String url, Environment environment) throws SQLException {
    String rest = url.substring(ServerlessPgProperty.URL_PREFIX.length());
    if (rest.startsWith(ENV_FORM)) {
      String name = rest.substring(ENV_FORM.length()).trim();
      String query = null;
      int question = name.indexOf('?');
      if (question >= 0) {
        query = name.substring(question + 1);
        name = name.substring(0, question);
      }
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw SqlStates.unableToConnect("The URL '" + url + "' does not name an environment variable: write "
            + "jdbc:serverless-pg:env:DATABASE_URL (letters, digits and '_'), optionally followed by ?key=value.");
      }
      String value = environment.get(name);
      if (value == null) {
        throw SqlStates.unableToConnect("Environment variable " + name + " is not set (or is blank), so the URL '"
            + url + "' has no connection string. Set " + name + " to a postgresql:// connection string or a "
            + "jdbc:serverless-pg:// URL.");
      }
      ParsedUrl fromEnvironment = parseConnectionString(value, "environment variable " + name, name);
      if (query == null) {
        return fromEnvironment;
      }
      // Parameters written after the variable name refine the variable's URL, e.g. env:DATABASE_URL?mode=direct.
      Map<String, String> parameters = new LinkedHashMap<>(fromEnvironment.parameters());
      parseQuery(query, "the URL", parameters);
      return new ParsedUrl(fromEnvironment.endpoints(), fromEnvironment.database(), parameters, name);
    }
    return parseConnectionString(rest, "the URL", null);
  }

  /**
   * Parses a connection string without our prefix: {@code //host/db}, {@code postgresql://...},
   * {@code postgres://...}, {@code jdbc:postgresql://...} or a full {@code jdbc:serverless-pg://...} URL.
   */
  public static ParsedUrl parseConnectionString(String text, String source, String environmentVariable)
      throws SQLException {
    String rest = text.trim();
    if (rest.startsWith(ServerlessPgProperty.URL_PREFIX)) {
      rest = rest.substring(ServerlessPgProperty.URL_PREFIX.length());
    } else if (rest.startsWith(JDBC_POSTGRESQL)) {
      rest = rest.substring(JDBC_POSTGRESQL.length());
    }
    if (rest.startsWith("postgresql://")) {
      return parseLibpqUri(rest.substring("postgresql://".length()), source, environmentVariable);
    }
    if (rest.startsWith("postgres://")) {
      return parseLibpqUri(rest.substring("postgres://".length()), source, environmentVariable);
    }
    if (rest.startsWith("//")) {
      return parsePgjdbcUrl(rest, source, environmentVariable);
    }
    throw SqlStates.unableToConnect("Unrecognized connection string in " + source + ": expected "
        + "jdbc:serverless-pg://host:port/database, jdbc:serverless-pg:postgresql://user:password@host/database "
        + "or jdbc:serverless-pg:env:VARIABLE.");
  }

  private static ParsedUrl parsePgjdbcUrl(String rest, String source, String environmentVariable)
      throws SQLException {
    Properties parsed = org.postgresql.Driver.parseURL(JDBC_POSTGRESQL + rest, new Properties());
    if (parsed == null) {
      throw SqlStates.unableToConnect("Malformed connection string in " + source
          + ": pgjdbc cannot parse it. Expected //host[:port][,host2[:port2]]/database?key=value.");
    }
    String[] hosts = parsed.getProperty("PGHOST", "").split(",", -1);
    String[] ports = parsed.getProperty("PGPORT", "").split(",", -1);
    List<Endpoint> endpoints = new ArrayList<>(hosts.length);
    for (int i = 0; i < hosts.length; i++) {
      String port = i < ports.length && !ports[i].isEmpty() ? ports[i] : Integer.toString(Endpoint.DEFAULT_PORT);
      endpoints.add(EndpointSyntax.parse(bracketed(hosts[i]) + ":" + port, source, SqlStates.UNABLE_TO_CONNECT));
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String key : parsed.stringPropertyNames()) {
      if (!key.equals("PGHOST") && !key.equals("PGPORT") && !key.equals("PGDBNAME")) {
        parameters.put(key, parsed.getProperty(key));
      }
    }
    return new ParsedUrl(endpoints, emptyToNull(parsed.getProperty("PGDBNAME")), parameters, environmentVariable);
  }

  private static String bracketed(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Parses {@code [user[:password]@][host[:port][,...]][/database][?params]} per libpq's URI rules. */
  private static ParsedUrl parseLibpqUri(String rest, String source, String environmentVariable)
      throws SQLException {
    Map<String, String> parameters = new LinkedHashMap<>();
    String query = null;
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question + 1);
      rest = rest.substring(0, question);
    }
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
      if (!user.isEmpty()) {
        parameters.put("user", decode(user, "user name", source));
      }
      if (colon >= 0) {
        parameters.put("password", decode(userInfo.substring(colon + 1), "password", source));
      }
    }
    String database = null;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      database = emptyToNull(decode(rest.substring(slash + 1), "database name", source));
      rest = rest.substring(0, slash);
    }
    if (query != null) {
      parseQuery(query, source, parameters);
    }
    String dbFromQuery = parameters.remove("PGDBNAME");
    if (database == null) {
      database = dbFromQuery;
    }
    if (rest.isEmpty()) {
      throw SqlStates.unableToConnect("The connection string in " + source + " names no host: write "
          + "postgresql://user:password@host:port/database.");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (String hostSpec : rest.split(",", -1)) {
      endpoints.add(EndpointSyntax.parse(decode(hostSpec, "host", source), source, SqlStates.UNABLE_TO_CONNECT));
    }
    return new ParsedUrl(endpoints, database, parameters, environmentVariable);
  }

  /** Adds {@code key=value&...} pairs, percent-decoded and translated from libpq's names, to {@code parameters}. */
  private static void parseQuery(String query, String source, Map<String, String> parameters) throws SQLException {
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals >= 0 ? pair.substring(0, equals) : pair, "parameter name", source);
      String value = equals >= 0 ? decode(pair.substring(equals + 1), "value of parameter " + name, source) : "";
      LibpqParameters.translate(name, value, parameters);
    }
  }

  private static String decode(String text, String what, String source) throws SQLException {
    try {
      // URLDecoder would turn '+' into a space; in URIs '+' is a literal plus, common in generated passwords.
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // Never quote the text: it may be the password.
      throw SqlStates.unableToConnect("Malformed percent-encoding in the " + what + " of the connection string in "
          + source + ": encode reserved characters as %XX (for example '@' as %40).");
    }
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
