package io.github.serverlesspg.config;

import io.github.serverlesspg.spi.Endpoint;
import java.sql.SQLException;
import java.util.regex.Pattern;

/** Parses {@code host}, {@code host:port} and {@code [ipv6]:port} as URLs and the {@code pooler} property write them. */
public final class EndpointSyntax {
  /** What a host name or an IPv4 address is made of; anything else might be part of a misplaced password. */
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]{1,253}");

  private EndpointSyntax() {
  }

  /**
   * Parses an address given on its own (the {@code pooler} property): the error message quotes it.
   *
   * @param text the address
   * @param source what the text came from, for the error message (a property name)
   * @param sqlState the SQLSTATE of the exception for a malformed address
   * @throws SQLException with {@code sqlState} when the address is malformed
   */
  public static Endpoint parse(String text, String source, String sqlState) throws SQLException {
    return parse(text, source, sqlState, true);
  }

  /**
   * Parses a host of a connection string. The error message never quotes the text: a password with an unencoded
   * {@code '/'} or {@code '@'} can end up where the host is expected, so only a host made of host-name characters
   * is named, never the port part.
   *
   * @throws SQLException 08001 when the address is malformed
   */
  public static Endpoint parseUrlHost(String text, String source) throws SQLException {
    return parse(text, source, SqlStates.UNABLE_TO_CONNECT, false);
  }

  private static Endpoint parse(String text, String source, String sqlState, boolean quote) throws SQLException {
    String host;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw malformed(text, quote, source, sqlState, "an IPv6 address needs a closing ']'");
      }
      host = text.substring(1, close);
      if (close + 1 < text.length()) {
        if (text.charAt(close + 1) != ':') {
          throw malformed(text, quote, source, sqlState, "expected ':' after ']'");
        }
        port = text.substring(close + 2);
      }
    } else {
      int colon = text.lastIndexOf(':');
      if (colon >= 0 && text.indexOf(':') != colon) {
        host = text; // bare IPv6 literal without a port
      } else if (colon >= 0) {
        host = text.substring(0, colon);
        port = text.substring(colon + 1);
      } else {
        host = text;
      }
    }
    if (host.isBlank()) {
      throw malformed(text, quote, source, sqlState, "the host is empty");
    }
    int portNumber = Endpoint.DEFAULT_PORT;
    if (port != null) {
      try {
        portNumber = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        portNumber = -1;
      }
      if (portNumber < 1 || portNumber > 65535) {
        throw malformed(text, quote, source, sqlState, "the port must be a number from 1 to 65535");
      }
    }
    return new Endpoint(host, portNumber);
  }

  private static SQLException malformed(String text, boolean quote, String source, String sqlState, String why) {
    String address;
    if (quote) {
      address = "Invalid address '" + text + "'";
    } else {
      String host = hostPart(text);
      address = HOST_NAME.matcher(host).matches() ? "Invalid address of host '" + host + "'" : "Invalid address";
    }
    return new SQLException(address + " in " + source + ": " + why + ". Write host, host:port or "
        + "[ipv6-address]:port" + (quote ? "." : ", and percent-encode reserved characters of the user name and "
        + "password ('@' as %40, '/' as %2F, ':' in the user name as %3A)."), sqlState);
  }

  private static String hostPart(String text) {
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      return close < 0 ? text : text.substring(0, close + 1);
    }
    int colon = text.indexOf(':');
    return colon < 0 ? text : text.substring(0, colon);
  }
}
