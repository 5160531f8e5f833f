package io.github.serverlesspg.telemetry;

import io.github.serverlesspg.physical.LoginSocket;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * The driver's login socket whose {@code connect} (the TCP handshake) is timed into the current
 * {@link ConnectPhases}.
 */
final class TimedSocket extends LoginSocket {
  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    long start = System.nanoTime();
    try {
      super.connect(endpoint, timeout);
    } finally {
      ConnectPhases.tcp(start, System.nanoTime());
    }
  }
}
