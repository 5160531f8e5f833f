package io.github.serverlesspg.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * A network address a JDBC connection can be opened to: a host name (or IP literal) and a TCP port.
 *
 * <p>Host names are kept as written except for case, which DNS ignores; providers compare them in lower case.
 *
 * @param host host name or IP literal, never blank
 * @param port TCP port, 1 to 65535
 */
public record Endpoint(String host, int port) {

  /** The port PostgreSQL and most poolers listen on unless told otherwise. */
  public static final int DEFAULT_PORT = 5432;

  /** Checks the parts: a host that is not blank, a port from 1 to 65535. */
  public Endpoint {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
    }
    host = host.toLowerCase(Locale.ROOT);
  }

  /** The same host on another port. */
  public Endpoint withPort(int newPort) {
    return new Endpoint(host, newPort);
  }

  /** The same port on another host. */
  public Endpoint withHost(String newHost) {
    return new Endpoint(newHost, port);
  }

  /** {@code host:port}, with IPv6 literals in brackets as JDBC URLs write them. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
