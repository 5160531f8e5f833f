package io.github.serverlesspg.telemetry;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;

/** A plain socket whose {@code connect} (the TCP handshake) is timed into the current {@link ConnectPhases}. */
final class TimedSocket extends Socket {
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
