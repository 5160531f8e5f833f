package io.github.serverlesspg.physical;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * The plain socket pgjdbc connects with (see {@link LoginSocketFactory}): during the login (startup, the answer to
 * the TLS request, the TLS handshake, which reads through this socket, and authentication) a thread interrupt aborts
 * the connect attempt, which a blocking read on a platform thread would otherwise ignore until its timeout.
 *
 * <p>Without starting a thread: during the login each read waits in slices of at most {@value #SLICE_MILLIS} ms of
 * the read timeout pgjdbc set, and between slices looks at the thread's interrupt status. An interrupted read closes
 * the socket and throws {@link InterruptedIOException}, the interrupt status kept, and pgjdbc fails the connect. A
 * read still times out exactly when pgjdbc's timeout says, and {@link #getSoTimeout()} answers what pgjdbc set.
 *
 * <p>Once the login ends ({@link LoginScope#close()}) the socket is a plain socket: its timeout is pgjdbc's (the
 * application's {@code socketTimeout}) and each read costs one field check more than the JDK's. On a virtual thread
 * an interrupt closes a blocked socket by itself; the login phase only reports it the same way.
 */
public class LoginSocket extends Socket {
  /** Longest wait between two looks at the interrupt status: how late an interrupt may be seen. */
  static final int SLICE_MILLIS = 50;

  /** True from creation within a {@link LoginScope} until the login ends. */
  private volatile boolean login;
  /** The read timeout pgjdbc asked for, in ms (0: none); applied to the socket itself once the login ends. */
  private int requestedTimeout;
  private InputStream input;

  public LoginSocket() {
    this.login = LoginScope.enlist(this);
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    if (login && Thread.currentThread().isInterrupted()) {
      // pgjdbc goes on to the next host after an I/O failure: an interrupted connect gives up on each at once.
      close();
      throw new InterruptedIOException("Interrupted before connecting to " + endpoint);
    }
    super.connect(endpoint, timeout);
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (input == null) {
      input = new LoginInputStream(super.getInputStream());
    }
    return input;
  }

  @Override
  public synchronized void setSoTimeout(int timeout) throws SocketException {
    if (timeout < 0) {
      throw new IllegalArgumentException("timeout < 0");
    }
    requestedTimeout = timeout;
    if (!login) {
      super.setSoTimeout(timeout);
    }
  }

  @Override
  public synchronized int getSoTimeout() throws SocketException {
    return login ? requestedTimeout : super.getSoTimeout();
  }

  /** Called once by the {@link LoginScope}: from now on reads wait as pgjdbc's timeout says, in one piece. */
  synchronized void loginEnded() {
    if (!login) {
      return;
    }
    login = false;
    try {
      super.setSoTimeout(requestedTimeout);
    } catch (SocketException closed) {
      // A failed connect closed it: nothing reads from it again.
    }
  }

  /** One read during the login: slices of the timeout, with a look at the interrupt status before each. */
  private int sliced(InputStream in, byte[] buffer, int offset, int length) throws IOException {
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(requestedTimeout);
    long deadline = System.nanoTime() + timeoutNanos;
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw interrupted(null);
      }
      int slice = SLICE_MILLIS;
      if (timeoutNanos > 0) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
          throw new SocketTimeoutException("Read timed out");
        }
        slice = (int) Math.min(slice, remaining);
      }
      super.setSoTimeout(slice);
      try {
        return buffer == null ? in.read() : in.read(buffer, offset, length);
      } catch (SocketTimeoutException sliceOver) {
        // Next slice, or the whole timeout is over: the loop's head tells.
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw interrupted(e); // a virtual thread's socket, closed by the interrupt
        }
        throw e;
      }
    }
  }

  private InterruptedIOException interrupted(IOException cause) {
    try {
      close();
    } catch (IOException ignored) {
      // closing anyway
    }
    InterruptedIOException e = new InterruptedIOException(
        "Interrupted while connecting: the connect attempt was abandoned and its socket closed");
    e.initCause(cause);
    return e;
  }

  /** The socket's input: sliced reads during the login, the socket's own afterwards. */
  private final class LoginInputStream extends FilterInputStream {
    LoginInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      return login ? sliced(in, null, 0, 0) : in.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return login ? sliced(in, buffer, offset, length) : in.read(buffer, offset, length);
    }
  }
}
