package io.github.serverlesspg.telemetry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Properties;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.postgresql.ssl.LibPQFactory;
import org.postgresql.util.PSQLException;

/**
 * pgjdbc's {@code sslfactory}, set by the driver (unless the user set their own) so that the TLS handshake of a new
 * physical connection is measured. Everything about TLS (modes, certificates, keys) stays pgjdbc's default
 * {@link LibPQFactory}; this class only wraps the socket so that the handshake pgjdbc starts, after it configured the
 * socket, is timed (see {@link TimedSslSocket}). It performs no handshake of its own.
 */
public final class TimingSslSocketFactory extends SSLSocketFactory {
  private final LibPQFactory delegate;

  /** Called by pgjdbc with the connection's properties. */
  public TimingSslSocketFactory(Properties info) throws PSQLException {
    this.delegate = new LibPQFactory(info);
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
    return new TimedSslSocket((SSLSocket) delegate.createSocket(socket, host, port, autoClose), delegate);
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
