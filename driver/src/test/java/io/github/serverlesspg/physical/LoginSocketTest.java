package io.github.serverlesspg.physical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The login socket against a local server that accepts and never writes: during a login a read still times out
 * exactly when its timeout says (the slices add up to it), an interrupt ends it with {@link InterruptedIOException}
 * and a closed socket; after the login the socket is plain, with the timeout the caller set.
 */
class LoginSocketTest {
  private ServerSocket server;
  private Socket accepted;

  @BeforeEach
  void silentServer() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void close() throws IOException {
    if (accepted != null) {
      accepted.close();
    }
    server.close();
    Thread.interrupted(); // a test thread's interrupt must not leak into the next test
  }

  @Test
  void duringTheLoginAReadTimesOutWhenItsTimeoutSaysNotAfterASlice() throws IOException {
    try (LoginScope login = LoginScope.begin(); LoginSocket socket = connected()) {
      socket.setSoTimeout(300);
      assertThat(socket.getSoTimeout()).isEqualTo(300);
      long start = System.nanoTime();
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
      assertThat(socket.isClosed()).as("a timeout leaves the socket open, as the JDK's does").isFalse();
      assertThat(socket.getSoTimeout()).as("what the caller set, not the last slice").isEqualTo(300);
    }
  }

  @Test
  void anInterruptDuringTheLoginClosesTheSocketAndKeepsTheFlag() throws IOException {
    try (LoginScope login = LoginScope.begin(); LoginSocket socket = connected()) {
      socket.setSoTimeout(0);
      InputStream in = socket.getInputStream();
      Thread.currentThread().interrupt();
      assertThatThrownBy(in::read).isInstanceOf(InterruptedIOException.class)
          .isNotInstanceOf(SocketTimeoutException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(socket.isClosed()).isTrue();
    }
  }

  @Test
  void afterTheLoginTheSocketIsPlainWithTheTimeoutSet() throws IOException {
    LoginSocket socket;
    try (LoginScope login = LoginScope.begin()) {
      socket = connected();
      socket.setSoTimeout(250);
    }
    try (socket) {
      assertThat(socket.getSoTimeout()).isEqualTo(250);
      socket.setSoTimeout(0);
      assertThat(socket.getSoTimeout()).as("the application's timeout, none").isZero();
      socket.setSoTimeout(100);
      Thread.currentThread().interrupt();
      // A plain blocking read ignores the interrupt and times out as the JDK's socket does.
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      assertThat(socket.isClosed()).isFalse();
    }
  }

  @Test
  void aSocketCreatedOutsideALoginIsPlain() throws IOException {
    try (LoginSocket socket = connected()) {
      socket.setSoTimeout(100);
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }
  }

  private LoginSocket connected() throws IOException {
    LoginSocket socket = new LoginSocket();
    socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 1_000);
    accepted = server.accept();
    return socket;
  }
}
