package io.github.serverlesspg.config;

import io.github.serverlesspg.spi.Endpoint;
import java.sql.SQLException;

/** Parses {@code host}, {@code host:port} and {@code [ipv6]:port} as URLs and the {@code pooler} property write them. */
public final class EndpointSyntax {
  private EndpointSyntax() {
  }

  /**
   * @param text the address
   * @param source what the text came from, for the error message (a property name or "the URL")
   * @param sqlState the SQLSTATE of the exception for a malformed address
   * @throws SQLException with {@code sqlState} when the address is malformed
   */
  public static Endpoint parse(String text, String source, String sqlState) throws SQLException {
    String host;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw malformed(text, source, sqlState, "an IPv6 address needs a closing ']'");
      }
      host = text.substring(1, close);
      if (close + 1 < text.length()) {
        if (text.charAt(close + 1) != ':') {
          throw malformed(text, source, sqlState, "expected ':' after ']'");
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
      throw malformed(text, source, sqlState, "the host is empty");
    }
    int portNumber = Endpoint.DEFAULT_PORT;
    if (port != null) {
      try {
        portNumber = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        portNumber = -1;
      }
      if (portNumber < 1 || portNumber > 65535) {
        throw malformed(text, source, sqlState, "the port must be a number from 1 to 65535");
      }
    }
    return new Endpoint(host, portNumber);
  }

  private static SQLException malformed(String text, String source, String sqlState, String why) {
    return new SQLException("Invalid address '" + text + "' in " + source + ": " + why
        + ". Write host, host:port or [ipv6-address]:port.", sqlState);
  }
}
