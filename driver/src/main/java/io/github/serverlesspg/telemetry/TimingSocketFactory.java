package io.github.serverlesspg.telemetry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * pgjdbc's {@code socketFactory}, set by the driver (unless the user set their own) so that the TCP connect of a new
 * physical connection is measured. pgjdbc instantiates it by class name and calls {@link #createSocket()} and then
 * {@code connect}; the other methods serve any other caller the same way.
 */
public final class TimingSocketFactory extends SocketFactory {
  public TimingSocketFactory() {
  }

  @Override
  public Socket createSocket() {
    return new TimedSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket socket = new TimedSocket();
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    Socket socket = new TimedSocket();
    socket.bind(new InetSocketAddress(localHost, localPort));
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket socket = new TimedSocket();
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket socket = new TimedSocket();
    socket.bind(new InetSocketAddress(localAddress, localPort));
    socket.connect(new InetSocketAddress(address, port));
    return socket;
  }
}
