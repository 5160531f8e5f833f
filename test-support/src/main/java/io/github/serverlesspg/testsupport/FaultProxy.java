package io.github.serverlesspg.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on 127.0.0.1 that forwards to a real server and injects network faults on demand, for tests of what
 * the driver does when the network misbehaves: a server that accepts and never answers, a stalled stream, a slow
 * link, a reset. Faults apply at once to new and to open connections, in both directions, and can be lifted again.
 *
 * <p>Each accepted connection gets two pump threads (daemon, named {@code fault-proxy-…}); {@link #close()} closes
 * every socket and so ends them. Without an upstream ({@link #unresponsive()}) the proxy is a server that accepts
 * connections, reads what the client sends and never answers; {@link #stalledTls()} answers a PostgreSQL client's TLS
 * request and then stalls in the handshake.
 */
public final class FaultProxy implements AutoCloseable {
  /** What the proxy does with the bytes it would forward. */
  public enum Fault {
    /** Forwards everything unchanged. */
    NONE,
    /** Stops forwarding and stops reading, so the sender's window fills up; the connection stays open. */
    STALL,
    /** Reads and discards everything; nothing ever arrives at the other side. */
    BLACK_HOLE,
    /** Forwards every chunk after {@link #delay(Duration)}. */
    DELAY,
    /** Resets open connections (RST, not FIN) and resets new ones right after accepting them. */
    RESET
  }

  private static final int CHUNK = 16 * 1024;
  /** The code of PostgreSQL's SSLRequest message, after its length (8). */
  private static final int SSL_REQUEST_CODE = 80877103;

  private final InetSocketAddress upstream;
  /** Without an upstream: answer {@code S} to an SSLRequest (TLS accepted) before discarding everything. */
  private final boolean acceptsTls;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger openClients = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong roundTrips = new java.util.concurrent.atomic.AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition faultChanged = lock.newCondition();
  private volatile Fault fault = Fault.NONE;
  private volatile long delayNanos;
  private volatile boolean closed;

  private FaultProxy(InetSocketAddress upstream, boolean acceptsTls) throws IOException {
    this.upstream = upstream;
    this.acceptsTls = acceptsTls;
    this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy forwarding to {@code host:port}, without faults until {@link #fault(Fault)} is called. */
  public static FaultProxy to(String host, int port) {
    try {
      return new FaultProxy(new InetSocketAddress(host, port), false);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a fault proxy to " + host + ":" + port, e);
    }
  }

  /** A server that accepts connections and never answers (reads and discards what clients send). */
  public static FaultProxy unresponsive() {
    return silentServer(false);
  }

  /**
   * A server that accepts a PostgreSQL client's TLS request (answers {@code S} to the SSLRequest) and then never
   * completes the handshake: it reads and discards the ClientHello and everything after it. A client that starts
   * with TLS at once ({@code sslNegotiation=direct}) sends no SSLRequest and gets no answer at all.
   */
  public static FaultProxy stalledTls() {
    return silentServer(true);
  }

  private static FaultProxy silentServer(boolean acceptsTls) {
    try {
      FaultProxy proxy = new FaultProxy(null, acceptsTls);
      proxy.fault = Fault.BLACK_HOLE;
      return proxy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a server without upstream", e);
    }
  }

  public String host() {
    return listener.getInetAddress().getHostAddress();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** {@code host:port} of the proxy, for URLs. */
  public String address() {
    return host() + ":" + port();
  }

  /** Applies {@code newFault} to open and new connections from now on. */
  public FaultProxy fault(Fault newFault) {
    lock.lock();
    try {
      fault = newFault;
      faultChanged.signalAll();
    } finally {
      lock.unlock();
    }
    if (newFault == Fault.RESET) {
      for (Socket socket : sockets) {
        reset(socket);
      }
    }
    return this;
  }

  /** Sets the delay of {@link Fault#DELAY} and applies that fault. */
  public FaultProxy delay(Duration delay) {
    delayNanos = delay.toNanos();
    return fault(Fault.DELAY);
  }

  public Fault fault() {
    return fault;
  }

  /** Client connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /**
   * Round trips clients made so far after startup and authentication: the Sync and Query messages they then wait for
   * (not pgjdbc's BEGIN, sent ahead of a statement; see {@code FrontendMessages}), counted by reading the PostgreSQL
   * protocol they send (connections that switch to TLS are not counted past the switch). The difference across a call
   * is its count.
   */
  public long roundTrips() {
    return roundTrips.get();
  }

  /** Client connections now open (accepted and not yet closed by either side). */
  public int openClients() {
    return openClients.get();
  }

  /**
   * Waits until {@link #openClients()} is {@code expected}: a client that gave up must close its socket, and this
   * is how a test sees it did.
   *
   * @return whether it got there within {@code timeout}
   */
  public boolean awaitOpenClients(int expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (openClients.get() != expected) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        faultChanged.awaitNanos(Math.min(remaining, 20_000_000L));
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Stops accepting and closes every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    fault(Fault.NONE);
  }

  @Override
  public String toString() {
    return "FaultProxy[" + address() + " -> " + (upstream == null ? "nothing" : upstream) + ", " + fault + "]";
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      openClients.incrementAndGet();
      sockets.add(client);
      if (fault == Fault.RESET) {
        reset(client);
        clientGone(client, null);
        continue;
      }
      Socket server = null;
      if (upstream != null) {
        server = new Socket();
        try {
          server.connect(upstream, 5_000);
          sockets.add(server);
        } catch (IOException e) {
          closeQuietly(server);
          closeQuietly(client);
          clientGone(client, null);
          continue;
        }
      }
      Connection connection = new Connection(client, server, new FrontendMessages(roundTrips));
      start(connection, client, server, "up");
      if (server != null) {
        start(connection, server, client, "down");
      }
    }
  }

  private void start(Connection connection, Socket from, Socket to, String direction) {
    boolean up = direction.equals("up");
    Thread pump = new Thread(() -> pump(connection, from, to, up), "fault-proxy-" + port() + "-" + direction);
    pump.setDaemon(true);
    pump.start();
  }

  /** One direction of one connection: read a chunk, then forward, delay, hold or drop it as the fault says. */
  private void pump(Connection connection, Socket from, Socket to, boolean up) {
    byte[] buffer = new byte[CHUNK];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to == null ? null : to.getOutputStream();
      while (true) {
        awaitNotStalled();
        int read = in.read(buffer);
        if (read < 0) {
          break;
        }
        Fault current = awaitNotStalled();
        if (to == null && acceptsTls && isSslRequest(buffer, read)) {
          OutputStream answer = from.getOutputStream();
          answer.write('S');
          answer.flush();
          continue;
        }
        if (current == Fault.BLACK_HOLE || out == null) {
          continue;
        }
        if (current == Fault.DELAY) {
          sleepNanos(delayNanos);
        }
        if (up) {
          connection.frontend.read(buffer, read);
        }
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // reset or closed: the connection ends
    }
    connection.end();
  }

  /** Blocks while the fault is {@link Fault#STALL}; returns the fault in force afterwards. */
  private Fault awaitNotStalled() throws IOException {
    lock.lock();
    try {
      while (fault == Fault.STALL && !closed) {
        faultChanged.await();
      }
      if (closed) {
        throw new SocketException("proxy closed");
      }
      return fault;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SocketException("interrupted");
    } finally {
      lock.unlock();
    }
  }

  private static boolean isSslRequest(byte[] message, int length) {
    return length == 8 && java.nio.ByteBuffer.wrap(message, 0, 8).getInt() == 8
        && java.nio.ByteBuffer.wrap(message, 4, 4).getInt() == SSL_REQUEST_CODE;
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void clientGone(Socket client, Socket server) {
    sockets.remove(client);
    if (server != null) {
      sockets.remove(server);
    }
    openClients.decrementAndGet();
    lock.lock();
    try {
      faultChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException ignored) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Both sockets of one proxied connection; ended once, when either direction ends. */
  private final class Connection {
    private final Socket client;
    private final Socket server;
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    /** The client's side of the protocol, read by the up pump only. */
    final FrontendMessages frontend;

    Connection(Socket client, Socket server, FrontendMessages frontend) {
      this.client = client;
      this.server = server;
      this.frontend = frontend;
    }

    void end() {
      if (ended.compareAndSet(false, true)) {
        if (fault == Fault.RESET) {
          reset(client);
        } else {
          closeQuietly(client);
        }
        if (server != null) {
          closeQuietly(server);
        }
        clientGone(client, server);
      }
    }
  }
}
