package io.github.serverlesspg.physical;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * pgjdbc's {@code socketFactory}, set by {@link PgjdbcConnector} unless the application set its own: hands out
 * {@link LoginSocket}s, so that an interrupt aborts a connect blocked in the login. pgjdbc instantiates it by class
 * name and calls {@link #createSocket()} and then {@code connect}; the other methods serve any other caller the same
 * way. Telemetry's factory extends it to time the TCP connect as well.
 */
public class LoginSocketFactory extends SocketFactory {
  public LoginSocketFactory() {
  }

  /**
   * The constructor pgjdbc looks for first. Without it pgjdbc's lookup fails with a {@link NoSuchMethodException}
   * whose message the JDK builds with streams and lambdas, costing a cold start about 10 ms.
   *
   * @param connectionProperties the connection's properties; not needed
   */
  public LoginSocketFactory(java.util.Properties connectionProperties) {
  }

  /** A new unconnected socket; telemetry's subclass returns one that times its connect. */
  protected Socket newSocket() {
    return new LoginSocket();
  }

  @Override
  public final Socket createSocket() {
    return newSocket();
  }

  @Override
  public final Socket createSocket(String host, int port) throws IOException {
    return connected(null, new InetSocketAddress(host, port));
  }

  @Override
  public final Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
  }

  @Override
  public final Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(null, new InetSocketAddress(host, port));
  }

  @Override
  public final Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
  }

  private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
    Socket socket = newSocket();
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    return socket;
  }
}
