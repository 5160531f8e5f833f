package io.github.serverlesspg.config;

import io.github.serverlesspg.spi.Endpoint;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

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
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ConnectionUrl() {
  }

  /** Whether this driver handles the URL. */
  public static boolean accepts(String url) {
    return url != null && url.startsWith(ServerlessPgProperty.URL_PREFIX);
  }

  /** Parses a {@code jdbc:serverless-pg:} URL; see {@link #parse(String, Environment, String)}. */
  public static ParsedUrl parse(String url, Environment environment) throws SQLException {
    return parse(url, environment, null);
  }

  /**
   * Parses a {@code jdbc:serverless-pg:} URL.
   *
   * <p>For {@code env:NAME}, {@code mode=session} or {@code mode=direct} written after the name or given in the
   * connection properties selects {@code NAME_SESSION} or {@code NAME_DIRECT}, which must then be set ({@code NAME}
   * often points at a transaction pooler, which can give neither); the parameters after the name apply to whichever
   * variable is read. A {@code mode} inside the variable's own value describes that value and selects nothing.
   *
   * @param modeFromProperties the {@code mode} property given outside the URL, or null
   * @throws SQLException 08001 when the URL is malformed or names an unset environment variable; messages quote the
   *     URL only masked
   */
  public static ParsedUrl parse(String url, Environment environment, String modeFromProperties)
      throws SQLException {
    String rest = url.substring(ServerlessPgProperty.URL_PREFIX.length());
    if (!rest.startsWith(ENV_FORM)) {
      return parseConnectionString(rest, "the URL", null);
    }
    String name = rest.substring(ENV_FORM.length()).trim();
    String query = null;
    int question = name.indexOf('?');
    if (question >= 0) {
      query = name.substring(question + 1);
      name = name.substring(0, question);
    }
    if (!VARIABLE_NAME.matcher(name).matches()) {
      throw SqlStates.unableToConnect("The URL '" + Secrets.maskUrl(url) + "' does not name an environment "
          + "variable: write jdbc:serverless-pg:env:DATABASE_URL (a letter or '_', then letters, digits and '_'), "
          + "optionally followed by ?key=value.");
    }
    // Parameters written after the variable name refine the variable's URL, e.g. env:DATABASE_URL?sslmode=require.
    Map<String, String> overrides = new LinkedHashMap<>();
    if (query != null) {
      parseQuery(query, "the URL", overrides);
    }
    String mode = overrides.getOrDefault(ServerlessPgProperty.MODE.propertyName(), modeFromProperties);
    String variable = variableFor(name, mode, environment, url);
    String value = environment.get(variable);
    if (value == null) {
      throw SqlStates.unableToConnect("Environment variable " + variable + " is not set (or is blank), so the URL '"
          + Secrets.maskUrl(url) + "' has no connection string. Set " + variable + " to a postgresql:// "
          + "connection string or a jdbc:serverless-pg:// URL.");
    }
    ParsedUrl fromEnvironment = parseConnectionString(value, "environment variable " + variable, variable);
    if (overrides.isEmpty()) {
      return fromEnvironment;
    }
    Map<String, String> parameters = new LinkedHashMap<>(fromEnvironment.parameters());
    parameters.putAll(overrides);
    return new ParsedUrl(fromEnvironment.endpoints(), fromEnvironment.database(), parameters,
        fromEnvironment.userInfo(), variable);
  }

  /** {@code NAME}, or {@code NAME_SESSION} / {@code NAME_DIRECT} when the mode asks for a session or direct URL. */
  private static String variableFor(String name, String mode, Environment environment, String url)
      throws SQLException {
    if (mode == null) {
      return name;
    }
    String requested = mode.trim().toLowerCase(Locale.ROOT);
    if (!requested.equals("session") && !requested.equals("direct")) {
      return name;
    }
    String alternative = name + "_" + requested.toUpperCase(Locale.ROOT);
    if (environment.get(alternative) == null) {
      throw SqlStates.unableToConnect("mode=" + requested + " was requested for the URL '" + Secrets.maskUrl(url)
          + "', but environment variable " + alternative + " is not set. " + name + " is not used instead: it "
          + "usually points at a transaction pooler, which cannot give a "
          + (requested.equals("direct") ? "direct connection" : "session") + ". Set " + alternative + " to the "
          + requested + " connection string (postgresql://user:password@host:5432/database), or name the variable "
          + "that holds it (jdbc:serverless-pg:env:OTHER_URL?mode=" + requested + "), or put mode=" + requested
          + " into the value of " + name + " if that value is the " + requested + " connection string.");
    }
    return alternative;
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

  /**
   * Parses pgjdbc's syntax with pgjdbc itself, so that both agree on every corner case, but never hands it a secret:
   * pgjdbc logs malformed URLs whole (java.util.logging, "JDBC URL must contain a / ...", "invalid port number"), so
   * user info, which its syntax does not have, is refused here first, and the values of secret parameters are masked for the call and
   * decoded here, as pgjdbc decodes them.
   */
  private static ParsedUrl parsePgjdbcUrl(String rest, String source, String environmentVariable)
      throws SQLException {
    int question = rest.indexOf('?');
    String address = question < 0 ? rest : rest.substring(0, question);
    if (address.indexOf('@') >= 0) {
      // Anywhere before the query: a password holding a '/' moves the user info past the first '/'.
      throw SqlStates.unableToConnect("The connection string in " + source + " has user info (user:password@host), "
          + "which pgjdbc's syntax //host:port/database does not have: write jdbc:serverless-pg:postgresql://"
          + "user:password@host:port/database, or give user and password as ?user=...&password=... or as "
          + "connection properties (a database name holding '@' is written %40).");
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    String forPgjdbc = rest;
    if (question >= 0) {
      StringBuilder query = new StringBuilder();
      for (String pair : rest.substring(question + 1).split("&", -1)) {
        int equals = pair.indexOf('=');
        if (equals > 0 && Secrets.isSecret(pair.substring(0, equals))) {
          secrets.put(pair.substring(0, equals), pair.substring(equals + 1));
          pair = pair.substring(0, equals + 1) + "masked";
        }
        query.append(query.length() == 0 ? "" : "&").append(pair);
      }
      forPgjdbc = address + "?" + query;
    }
    Properties parsed = org.postgresql.Driver.parseURL(JDBC_POSTGRESQL + forPgjdbc, new Properties());
    if (parsed == null) {
      throw SqlStates.unableToConnect("Malformed connection string in " + source
          + ": pgjdbc cannot parse it. Expected //host[:port][,host2[:port2]]/database?key=value.");
    }
    String[] hosts = parsed.getProperty("PGHOST", "").split(",", -1);
    String[] ports = parsed.getProperty("PGPORT", "").split(",", -1);
    List<Endpoint> endpoints = new ArrayList<>(hosts.length);
    for (int i = 0; i < hosts.length; i++) {
      String port = i < ports.length && !ports[i].isEmpty() ? ports[i] : Integer.toString(Endpoint.DEFAULT_PORT);
      endpoints.add(EndpointSyntax.parseUrlHost(bracketed(hosts[i]) + ":" + port, source));
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String key : parsed.stringPropertyNames()) {
      if (!key.equals("PGHOST") && !key.equals("PGPORT") && !key.equals("PGDBNAME")) {
        parameters.put(key, parsed.getProperty(key));
      }
    }
    for (Map.Entry<String, String> secret : secrets.entrySet()) {
      try {
        // as pgjdbc decodes URL arguments (java.net.URLDecoder: '+' is a space)
        parameters.put(secret.getKey(), URLDecoder.decode(secret.getValue(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw SqlStates.unableToConnect("Malformed percent-encoding in the value of parameter " + secret.getKey()
            + " of the connection string in " + source + ": encode reserved characters as %XX.");
      }
    }
    return new ParsedUrl(endpoints, emptyToNull(parsed.getProperty("PGDBNAME")), parameters, Map.of(),
        environmentVariable);
  }

  private static String bracketed(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * Parses {@code [user[:password]@][host[:port][,...]][/database][?params]} per libpq's URI rules; the user info
   * ends at the last {@code '@'} before the path (see {@link UserInfo#end}).
   */
  private static ParsedUrl parseLibpqUri(String rest, String source, String environmentVariable)
      throws SQLException {
    Map<String, String> userInfo = new LinkedHashMap<>();
    int at = UserInfo.end(rest);
    if (at >= 0) {
      String info = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = info.indexOf(':');
      String user = colon >= 0 ? info.substring(0, colon) : info;
      if (!user.isEmpty()) {
        userInfo.put("user", decode(user, "user name", source));
      }
      if (colon >= 0) {
        userInfo.put("password", decode(info.substring(colon + 1), "password", source));
      }
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    String query = null;
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question + 1);
      rest = rest.substring(0, question);
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
      endpoints.add(EndpointSyntax.parseUrlHost(decode(hostSpec, "host", source), source));
    }
    return new ParsedUrl(endpoints, database, parameters, userInfo, environmentVariable);
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
