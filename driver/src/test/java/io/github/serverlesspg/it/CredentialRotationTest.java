package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.routing.credential.FileCredentialProvider;
import io.github.serverlesspg.spi.CredentialProvider;
import io.github.serverlesspg.spi.CredentialRequest;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password rotated while the application runs ({@code ALTER ROLE ... PASSWORD}, then the mounted secret file
 * rewritten, as a rotation job does): new physical connections pick up the new password from the file-based provider,
 * nothing fails once the rotation is complete, the old password is never sent again, and no second pool appears.
 */
@RealDatabase
class CredentialRotationTest {
  private static final String ROLE = "rotating_user";
  private static final int THREADS = 4;
  /** Successful connections each thread makes before the rotation, and again after it. */
  private static final int CONNECTIONS_PER_PHASE = 12;

  @TempDir
  Path directory;

  @AfterEach
  void closeIdleConnections() {
    PhysicalConnectionCache.global().closeIdle("test finished");
  }

  @Test
  void rotationMidRunCausesNoErrorAndTheOldPasswordIsNeverUsedAgain(PostgresServer postgres) throws Exception {
    String first = "first-" + ThreadLocalRandom.current().nextLong(1L << 40);
    String second = "second-" + ThreadLocalRandom.current().nextLong(1L << 40);
    createRole(postgres, first);
    Path secret = directory.resolve("db-password");
    Files.writeString(secret, first + "\n");

    // Half the threads: a URL naming the provider, a new physical connection for every logical one (reuse=false).
    String perConnection = Targets.direct(postgres, "rotation-new", "user=" + ROLE + "&reuse=false"
        + "&credentialProvider=file&credentialSource=" + secret);
    // The other half: a pooled data source whose connections retire every 200 ms, with a provider that records what
    // it hands out.
    String pooledApplication = "rotation-pooled";
    Recording recording = new Recording(new FileCredentialProvider());
    ServerlessPgDataSource pooled = new ServerlessPgDataSource(Targets.direct(postgres, pooledApplication,
        "user=" + ROLE + "&maxConnections=2&maxLifetime=200&credentialSource=" + secret));
    pooled.setCredentialProvider(recording);

    AtomicLong rotatedAt = new AtomicLong(Long.MAX_VALUE);
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch warmedUp = new CountDownLatch(THREADS);
    CountDownLatch afterRotation = new CountDownLatch(THREADS);
    ConcurrentLinkedQueue<String> failuresAfterRotation = new ConcurrentLinkedQueue<>();
    AtomicInteger failuresDuringRotation = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      boolean usePool = t % 2 == 0;
      workers.add(executor.submit(() -> {
        int before = 0;
        int after = 0;
        while (!stop.get()) {
          long started = System.nanoTime();
          try (Connection connection = usePool ? pooled.getConnection() : DriverManager.getConnection(perConnection)) {
            assertThat(currentUser(connection)).isEqualTo(ROLE);
            if (started > rotatedAt.get()) {
              if (++after == CONNECTIONS_PER_PHASE) {
                afterRotation.countDown();
              }
            } else if (++before == CONNECTIONS_PER_PHASE) {
              warmedUp.countDown();
            }
          } catch (SQLException e) {
            if (started > rotatedAt.get()) {
              failuresAfterRotation.add(e.getSQLState() + " " + e.getMessage());
            } else {
              failuresDuringRotation.incrementAndGet();
            }
          }
        }
        return null;
      }));
    }
    try {
      assertThat(warmedUp.await(60, TimeUnit.SECONDS)).as("every thread connected before the rotation").isTrue();
      try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
        statement.execute("alter role " + ROLE + " password '" + second + "'");
      }
      Path next = directory.resolve("db-password.next");
      Files.writeString(next, second + "\n");
      Files.move(next, secret, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      rotatedAt.set(System.nanoTime());
      assertThat(afterRotation.await(60, TimeUnit.SECONDS)).as("every thread connected after the rotation").isTrue();
    } finally {
      stop.set(true);
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
      executor.shutdown();
    }
    assertThat(failuresAfterRotation).as("errors once the rotation was complete").isEmpty();
    List<Map.Entry<Long, String>> handedOut = recording.handedOut();
    assertThat(handedOut).as("the provider was asked for new connections after the rotation")
        .anyMatch(entry -> entry.getKey() > rotatedAt.get());
    assertThat(handedOut).filteredOn(entry -> entry.getKey() > rotatedAt.get())
        .as("passwords handed out after the rotation").allMatch(entry -> entry.getValue().equals(second));
    assertThat(postgres.countBackends(pooledApplication)).as("one pool across the rotation").isLessThanOrEqualTo(2);
    System.out.printf("rotation: %d connections, %d failed while the rotation was in progress%n", handedOut.size(),
        failuresDuringRotation.get());
  }

  /** A provider that caches its password is told of a refusal and asked once more: no error reaches the caller. */
  @Test
  void aRefusedCachedPasswordIsFetchedAgainOnce(PostgresServer postgres) throws Exception {
    String first = "cached-" + ThreadLocalRandom.current().nextLong(1L << 40);
    String second = "fresh-" + ThreadLocalRandom.current().nextLong(1L << 40);
    createRole(postgres, first);
    Path secret = directory.resolve("db-password");
    Files.writeString(secret, first);
    Caching caching = new Caching(new FileCredentialProvider());
    ServerlessPgDataSource dataSource = new ServerlessPgDataSource(Targets.direct(postgres, "rotation-cached",
        "user=" + ROLE + "&reuse=false&credentialSource=" + secret));
    dataSource.setCredentialProvider(caching);
    try (Connection connection = dataSource.getConnection()) {
      assertThat(currentUser(connection)).isEqualTo(ROLE);
    }
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("alter role " + ROLE + " password '" + second + "'");
    }
    Files.writeString(secret, second);
    try (Connection connection = dataSource.getConnection()) {
      assertThat(currentUser(connection)).isEqualTo(ROLE);
    }
    assertThat(caching.refusals.get()).isEqualTo(1);
    // A password that stays wrong is reported after the one retry, with the server's SQLSTATE.
    Files.writeString(secret, "never-right");
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("alter role " + ROLE + " password '" + first + "'");
    }
    SQLException refused = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class,
        () -> dataSource.getConnection().close());
    assertThat(refused.getSQLState()).isEqualTo("28P01");
    assertThat(refused.getMessage()).doesNotContain("never-right");
    assertThat(caching.refusals.get()).isEqualTo(2);
  }

  private static void createRole(PostgresServer postgres, String password) throws SQLException {
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("do $$ begin create role " + ROLE + " login; "
          + "exception when duplicate_object then null; end $$");
      statement.execute("alter role " + ROLE + " password '" + password + "'");
      statement.execute("grant connect on database " + postgres.database() + " to " + ROLE);
    }
  }

  private static String currentUser(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select current_user")) {
      result.next();
      return result.getString(1);
    }
  }

  /** Records every password handed out, with when. */
  static final class Recording implements CredentialProvider {
    private final CredentialProvider delegate;
    private final ConcurrentLinkedQueue<Map.Entry<Long, String>> handedOut = new ConcurrentLinkedQueue<>();

    Recording(CredentialProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public String password(CredentialRequest request) throws SQLException {
      String password = delegate.password(request);
      handedOut.add(Map.entry(System.nanoTime(), password));
      return password;
    }

    List<Map.Entry<Long, String>> handedOut() {
      return new ArrayList<>(handedOut);
    }
  }

  /** Keeps the first password until told it was refused, as a token cache would. */
  static final class Caching implements CredentialProvider {
    private final CredentialProvider delegate;
    private volatile String cached;
    final AtomicInteger refusals = new AtomicInteger();

    Caching(CredentialProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return "caching";
    }

    @Override
    public String password(CredentialRequest request) throws SQLException {
      String current = cached;
      if (current == null) {
        current = delegate.password(request);
        cached = current;
      }
      return current;
    }

    @Override
    public void refused(CredentialRequest request) {
      refusals.incrementAndGet();
      cached = null;
    }
  }
}
