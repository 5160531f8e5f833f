package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Interrupts at any point of a real connect (TCP, TLS request, handshake, startup, authentication, or after): every
 * attempt either connects or fails with 08001 caused by the interrupt, and nothing is left behind: no slot in use,
 * no server backend. Each iteration opens a new physical connection ({@code reuse=false}) with TLS and interrupts it
 * after a random spin of up to twice a typical connect's duration.
 */
@RealDatabase
class ConnectInterruptStressTest {
  private static final int ITERATIONS = 120;

  @Test
  void anInterruptAnywhereInAConnectLeavesNothingBehind(PostgresServer postgres) throws Exception {
    String application = "interrupt-stress";
    String url = Targets.direct(postgres, application,
        "mode=direct&sslmode=require&reuse=false&maxConnections=1&acquireTimeout=5000&connectTimeout=10");
    long typicalConnect = typicalConnectNanos(url, postgres);
    int connected = 0;
    int aborted = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      AtomicReference<Object> outcome = new AtomicReference<>();
      Thread connecting = new Thread(() -> {
        try {
          Connection connection = DriverManager.getConnection(url, postgres.credentials());
          Thread.interrupted(); // the interrupt came after the connect: closing must not see it
          connection.close();
          outcome.set(connection);
        } catch (Throwable e) {
          outcome.set(e);
        }
      }, "interrupt-stress-" + i);
      connecting.start();
      spin(ThreadLocalRandom.current().nextLong(2 * typicalConnect));
      connecting.interrupt();
      connecting.join(Duration.ofSeconds(20).toMillis());
      assertThat(connecting.isAlive()).as("iteration %d ended", i).isFalse();
      Object result = outcome.get();
      if (result instanceof Connection) {
        connected++;
      } else {
        assertThat(result).as("iteration %d", i).isInstanceOf(SQLException.class);
        SQLException failure = (SQLException) result;
        assertThat(failure.getSQLState()).as("iteration %d: %s", i, failure).isEqualTo("08001");
        assertThat(hasInterruptCause(failure)).as("iteration %d: %s", i, failure).isTrue();
        aborted++;
      }
    }
    System.out.printf("interrupt stress: %d iterations, %d connected, %d aborted (typical connect %.1f ms)%n",
        ITERATIONS, connected, aborted, typicalConnect / 1e6);
    assertThat(aborted).as("interrupts that landed inside a connect").isPositive();
    assertThat(connected + aborted).isEqualTo(ITERATIONS);
    assertThat(ServerlessPgDriver.health(url, postgres.credentials()).pool().active()).isZero();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (postgres.countBackends(application) > 0) {
      assertThat(System.nanoTime()).as("every server backend of the test ended").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static long typicalConnectNanos(String url, PostgresServer postgres) throws SQLException {
    long start = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      DriverManager.getConnection(url, postgres.credentials()).close();
    }
    return (System.nanoTime() - start) / 5;
  }

  private static void spin(long nanos) {
    long until = System.nanoTime() + nanos;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }

  private static boolean hasInterruptCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)) {
        return true;
      }
    }
    return false;
  }
}
