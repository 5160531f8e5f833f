package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.telemetry.HealthSnapshot;
import io.github.serverlesspg.testsupport.FaultProxy;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An interrupt aborts a physical connect blocked in the login, on a platform thread, without any thread of the
 * driver: the connect fails at once (not after {@code connectTimeout=30}) with 08001 and the
 * {@link InterruptedIOException} as its cause, the thread keeps its interrupt status, the socket is closed and the
 * pool's only slot ({@code maxConnections=1}) is free again: the next connect to the same pool, once the network is
 * healthy, succeeds and leaves nothing in use.
 */
@RealDatabase
class ConnectInterruptTest {
  /** Far beyond how long the test waits, so that only the interrupt can end the connect in time. */
  private static final String PARAMETERS = "mode=direct&connectTimeout=30&maxConnections=1&acquireTimeout=2000";
  private static final Duration PROMPTLY = Duration.ofSeconds(3);

  private final PostgresServer postgres;

  ConnectInterruptTest(PostgresServer postgres) {
    this.postgres = postgres;
  }

  @AfterEach
  void closeIdleConnections() {
    PhysicalConnectionCache.global().closeIdle("test finished");
  }

  /** The startup packet (or the TLS request) goes nowhere: the connect waits for an answer in a socket read. */
  @ParameterizedTest
  @ValueSource(strings = {"disable", "prefer", "require"})
  void anInterruptAbortsAConnectWaitingForTheServerAndFreesTheSlot(String sslmode) throws Exception {
    try (FaultProxy proxy = FaultProxy.to(postgres.host(), postgres.port())) {
      proxy.fault(FaultProxy.Fault.BLACK_HOLE);
      String url = url(proxy, "interrupt-" + sslmode, "sslmode=" + sslmode);
      assertInterruptAbortsTheConnect(url, proxy, false);
      proxy.fault(FaultProxy.Fault.NONE);
      assertTheSlotIsFree(url);
    }
  }

  /** Same on a virtual thread, whose blocked socket the interrupt closes by itself (Java 21 and later). */
  @Test
  void anInterruptAbortsAConnectOnAVirtualThread() throws Exception {
    try (FaultProxy proxy = FaultProxy.to(postgres.host(), postgres.port())) {
      proxy.fault(FaultProxy.Fault.BLACK_HOLE);
      String url = url(proxy, "interrupt-virtual", "sslmode=disable");
      assertInterruptAbortsTheConnect(url, proxy, Runtime.version().feature() >= 21);
      proxy.fault(FaultProxy.Fault.NONE);
      assertTheSlotIsFree(url);
    }
  }

  /** The TLS request is accepted and the handshake stalls: the handshake's reads go through the same socket. */
  @Test
  void anInterruptAbortsAStalledTlsHandshake() throws Exception {
    try (FaultProxy tls = FaultProxy.stalledTls()) {
      assertInterruptAbortsTheConnect(url(tls, "interrupt-tls", "sslmode=require"), tls, false);
    }
  }

  private void assertInterruptAbortsTheConnect(String url, FaultProxy proxy, boolean virtual) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean interruptKept = new AtomicBoolean();
    Runnable connect = () -> {
      try (Connection unexpected = DriverManager.getConnection(url, postgres.credentials())) {
        failure.set(new AssertionError("connected through a black hole: " + unexpected));
      } catch (Throwable e) {
        failure.set(e);
      }
      interruptKept.set(Thread.currentThread().isInterrupted());
    };
    Thread connecting = virtual ? virtualThread(connect) : new Thread(connect, "connect-interrupt-test");
    connecting.start();
    awaitBlockedInALoginRead(connecting);
    long interrupted = System.nanoTime();
    connecting.interrupt();
    connecting.join(Duration.ofSeconds(20).toMillis());
    Duration took = Duration.ofNanos(System.nanoTime() - interrupted);

    assertThat(connecting.isAlive()).as("the connect ended").isFalse();
    assertThat(took).as("ended promptly after the interrupt, not after connectTimeout=30").isLessThan(PROMPTLY);
    assertThat(failure.get()).isInstanceOf(SQLException.class);
    SQLException error = (SQLException) failure.get();
    assertThat(error.getSQLState()).isEqualTo("08001");
    assertThat((Throwable) error).hasMessageContaining("Interrupted while connecting");
    assertThat(interruptCause(error)).as("the InterruptedIOException is in the cause chain").isNotNull();
    assertThat(interruptKept).as("the thread's interrupt status is kept").isTrue();
    assertThat(proxy.awaitOpenClients(0, Duration.ofSeconds(10))).as("the socket was closed").isTrue();
    assertThat(proxy.accepted()).as("an interrupted connect is not retried").isEqualTo(1);
  }

  private void assertTheSlotIsFree(String url) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, postgres.credentials());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 1")) {
      assertThat(result.next()).isTrue();
    }
    HealthSnapshot health = ServerlessPgDriver.health(url, postgres.credentials());
    assertThat(health.pool().active()).as("nothing in use after the interrupted connect").isZero();
    assertThat(health.pool().total()).isLessThanOrEqualTo(1);
  }

  /** Waits (on the thread's own progress, no sleep) until the thread blocks in a read of the driver's login socket. */
  private static void awaitBlockedInALoginRead(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!inLoginRead(thread)) {
      assertThat(System.nanoTime()).as("the connect reached a login read").isLessThan(deadline);
      assertThat(thread.isAlive()).as("the connect is still running").isTrue();
      thread.join(10);
    }
  }

  private static boolean inLoginRead(Thread thread) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().endsWith("LoginSocket") && frame.getMethodName().equals("sliced")) {
        return true;
      }
    }
    return false;
  }

  private static InterruptedIOException interruptCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)) {
        return (InterruptedIOException) t;
      }
    }
    return null;
  }

  private static Thread virtualThread(Runnable task) throws ReflectiveOperationException {
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    return (Thread) Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class)
        .invoke(builder, task);
  }

  private String url(FaultProxy proxy, String application, String parameters) {
    return "jdbc:serverless-pg://" + proxy.address() + "/" + postgres.database() + "?" + PARAMETERS
        + "&ApplicationName=" + application + "&" + parameters;
  }
}
