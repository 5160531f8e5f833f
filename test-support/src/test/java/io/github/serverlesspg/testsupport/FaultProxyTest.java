package io.github.serverlesspg.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {
  private final EchoServer echo = new EchoServer();
  private final FaultProxy proxy = FaultProxy.to(echo.host(), echo.port());

  @AfterEach
  void close() throws IOException {
    proxy.close();
    echo.close();
  }

  @Test
  void forwardsBothWaysWithoutAFault() throws IOException {
    try (Socket socket = connect(proxy)) {
      assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
    }
    assertThat(proxy.awaitOpenClients(0, Duration.ofSeconds(5))).isTrue();
    assertThat(proxy.accepted()).isEqualTo(1);
  }

  @Test
  void blackHoleSwallowsTheRequestAndTheClientTimesOut() throws IOException {
    try (Socket socket = connect(proxy)) {
      assertThat(roundTrip(socket, "before")).isEqualTo("before");
      proxy.fault(FaultProxy.Fault.BLACK_HOLE);
      socket.setSoTimeout(200);
      assertThatThrownBy(() -> roundTrip(socket, "lost")).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void stallHoldsTheBytesUntilLifted() throws IOException {
    try (Socket socket = connect(proxy)) {
      proxy.fault(FaultProxy.Fault.STALL);
      socket.getOutputStream().write("held".getBytes());
      socket.setSoTimeout(200);
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      proxy.fault(FaultProxy.Fault.NONE);
      socket.setSoTimeout(5_000);
      assertThat(new String(socket.getInputStream().readNBytes(4))).isEqualTo("held");
    }
  }

  @Test
  void delayDelaysEveryChunk() throws IOException {
    try (Socket socket = connect(proxy)) {
      proxy.delay(Duration.ofMillis(150));
      long start = System.nanoTime();
      assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
      // one delay up, one down
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void resetBreaksOpenAndNewConnections() throws IOException {
    try (Socket open = connect(proxy)) {
      assertThat(roundTrip(open, "x")).isEqualTo("x");
      proxy.fault(FaultProxy.Fault.RESET);
      open.setSoTimeout(5_000);
      assertThatThrownBy(() -> roundTrip(open, "y")).isInstanceOf(SocketException.class);
    }
    try (Socket fresh = connect(proxy)) {
      fresh.setSoTimeout(5_000);
      assertThatThrownBy(() -> roundTrip(fresh, "z")).isInstanceOf(SocketException.class);
    }
  }

  @Test
  void anUnresponsiveServerAcceptsAndNeverAnswers() throws IOException {
    try (FaultProxy silent = FaultProxy.unresponsive(); Socket socket = connect(silent)) {
      socket.setSoTimeout(200);
      assertThatThrownBy(() -> roundTrip(socket, "anyone?")).isInstanceOf(SocketTimeoutException.class);
      assertThat(silent.accepted()).isEqualTo(1);
    }
  }

  @Test
  void aStalledTlsServerAcceptsTheTlsRequestAndThenNeverAnswers() throws IOException {
    try (FaultProxy tls = FaultProxy.stalledTls(); Socket socket = connect(tls)) {
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write(new byte[] {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f}); // SSLRequest
      out.flush();
      assertThat(socket.getInputStream().read()).isEqualTo('S');
      socket.setSoTimeout(200);
      assertThatThrownBy(() -> roundTrip(socket, "client hello")).isInstanceOf(SocketTimeoutException.class);
    }
  }

  private static Socket connect(FaultProxy proxy) throws IOException {
    return new Socket(proxy.host(), proxy.port());
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes());
    out.flush();
    byte[] answer = new byte[text.length()];
    InputStream in = socket.getInputStream();
    int read = 0;
    while (read < answer.length) {
      int n = in.read(answer, read, answer.length - read);
      if (n < 0) {
        throw new SocketException("closed by peer");
      }
      read += n;
    }
    return new String(answer);
  }

  /** Echoes every byte back, one thread per connection. */
  private static final class EchoServer implements AutoCloseable {
    private final ServerSocket server;

    EchoServer() {
      try {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      Thread acceptor = new Thread(() -> {
        while (true) {
          try {
            Socket socket = server.accept();
            Thread echo = new Thread(() -> {
              try (socket) {
                socket.getInputStream().transferTo(socket.getOutputStream());
              } catch (IOException ignored) {
                // connection ended
              }
            });
            echo.setDaemon(true);
            echo.start();
          } catch (IOException e) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String host() {
      return server.getInetAddress().getHostAddress();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
