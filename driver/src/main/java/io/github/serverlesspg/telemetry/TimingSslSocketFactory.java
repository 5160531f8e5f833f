package io.github.serverlesspg.telemetry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Properties;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.postgresql.ssl.LibPQFactory;
import org.postgresql.util.PSQLException;

/**
 * pgjdbc's {@code sslfactory}, set by the driver (unless the user set their own) so that the TLS handshake of a new
 * physical connection is measured. Everything about TLS (modes, certificates, keys) stays pgjdbc's default
 * {@link LibPQFactory}; this class only performs the handshake itself, timed, inside {@code createSocket} and hands
 * pgjdbc a socket on which its own {@code startHandshake()} is a no-op. (Calling {@code startHandshake()} twice on a
 * JDK socket is not harmless: TLS 1.3 sends a key update, TLS 1.2 asks for a renegotiation that PostgreSQL refuses.)
 */
public final class TimingSslSocketFactory extends SSLSocketFactory {
  private final LibPQFactory delegate;

  /** Called by pgjdbc with the connection's properties. */
  public TimingSslSocketFactory(Properties info) throws PSQLException {
    this.delegate = new LibPQFactory(info);
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
    SSLSocket ssl = (SSLSocket) delegate.createSocket(socket, host, port, autoClose);
    ssl.setUseClientMode(true);
    long start = System.nanoTime();
    ssl.startHandshake();
    ConnectPhases.tls(start, System.nanoTime());
    try {
      // pgjdbc does this only for its own factory class: surface a key manager failure (bad client key, say).
      delegate.throwKeyManagerException();
    } catch (PSQLException e) {
      ssl.close();
      throw new SSLException(e.getMessage(), e);
    }
    return new HandshakenSslSocket(ssl);
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return delegate.createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return delegate.createSocket(address, port, localAddress, localPort);
  }
}
