package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.ServerlessPg;
import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.TransactionOptions;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.testsupport.FaultProxy;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ServerlessPg#inTransaction} through the real transaction-mode PgBouncer: what it retries and what not. */
@RealDatabase
class TransactionHelperTest {
  /** The shared server's max_connections is small: leave no idle physical connection of this test behind. */
  @AfterEach
  void closeIdleConnections() {
    PhysicalConnectionCache.global().closeIdle("test finished");
  }

  private static final TransactionOptions NO_WAIT = TransactionOptions.defaults().backoff(Duration.ZERO,
      Duration.ZERO);

  @BeforeAll
  static void schema(PostgresServer postgres) throws SQLException {
    FaultSchema.create(postgres);
  }

  @Test
  void commitsTheUnitAndReturnsItsResult(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler,
      PostgresServer postgres) throws SQLException {
    long id = FaultSchema.nextId();
    ServerlessPgDataSource dataSource = dataSource(pooler, "helper-commit");
    Boolean autoCommit = ServerlessPg.inTransaction(dataSource, connection -> {
      insert(connection, id);
      return connection.getAutoCommit();
    });
    assertThat(autoCommit).isFalse();
    assertThat(FaultSchema.unitRows(postgres, id)).isEqualTo(1);
    try (Connection next = dataSource.getConnection()) {
      assertThat(next.getAutoCommit()).as("the pool resets the handle").isTrue();
    }
  }

  @Test
  void readOnlyUnitsCannotWriteAndAreNotRetried(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler,
      PostgresServer postgres) throws SQLException {
    long id = FaultSchema.nextId();
    AtomicInteger attempts = new AtomicInteger();
    SQLException failure = catchThrowableOfType(SQLException.class,
        () -> ServerlessPg.inReadOnlyTransaction(dataSource(pooler, "helper-read-only"), connection -> {
          attempts.incrementAndGet();
          insert(connection, id);
          return null;
        }));
    assertThat(failure.getSQLState()).isEqualTo("25006");
    assertThat(attempts).hasValue(1);
    assertThat(FaultSchema.unitRows(postgres, id)).isZero();
    Long count = ServerlessPg.inReadOnlyTransaction(dataSource(pooler, "helper-read-only"), connection -> {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("select count(*) from fault_units")) {
        rows.next();
        return rows.getLong(1);
      }
    });
    assertThat(count).isNotNegative();
  }

  /** pgjdbc would "commit" a failed transaction without an error; the helper refuses to report it committed. */
  @Test
  void aUnitThatSwallowedAnErrorIsNotReportedCommitted(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler,
      PostgresServer postgres) throws SQLException {
    long id = FaultSchema.nextId();
    SQLException failure = catchThrowableOfType(SQLException.class,
        () -> ServerlessPg.inTransaction(dataSource(pooler, "helper-swallow"), NO_WAIT, connection -> {
          insert(connection, id);
          try (Statement statement = connection.createStatement()) {
            statement.execute("select 1/0");
          } catch (SQLException ignored) {
            // the unit "handles" the error and carries on
          }
          return null;
        }));
    assertThat(failure.getSQLState()).isEqualTo("25P02");
    assertThat(FaultSchema.unitRows(postgres, id)).isZero();
  }

  @Test
  void theUnitCannotEndItsOwnTransaction(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler,
      PostgresServer postgres) throws SQLException {
    long id = FaultSchema.nextId();
    SQLException failure = catchThrowableOfType(SQLException.class,
        () -> ServerlessPg.inTransaction(dataSource(pooler, "helper-own-commit"), NO_WAIT, connection -> {
          insert(connection, id);
          connection.commit();
          return null;
        }));
    assertThat(failure.getSQLState()).isEqualTo("25000");
    assertThat(failure.getMessage()).contains("commit()");
    assertThat(FaultSchema.unitRows(postgres, id)).isZero();
  }

  @Test
  void runtimeExceptionsRollBackAndAreNotRetried(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler,
      PostgresServer postgres) throws SQLException {
    long id = FaultSchema.nextId();
    AtomicInteger attempts = new AtomicInteger();
    IllegalStateException failure = catchThrowableOfType(IllegalStateException.class,
        () -> ServerlessPg.inTransaction(dataSource(pooler, "helper-runtime"), NO_WAIT, connection -> {
          attempts.incrementAndGet();
          insert(connection, id);
          throw new IllegalStateException("business rule");
        }));
    assertThat(failure).hasMessage("business rule");
    assertThat(attempts).hasValue(1);
    assertThat(FaultSchema.unitRows(postgres, id)).isZero();
  }

  @Test
  void retriesAreBoundedAndEarlierFailuresAreKept(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    AtomicInteger attempts = new AtomicInteger();
    SQLException failure = catchThrowableOfType(SQLException.class,
        () -> ServerlessPg.inTransaction(dataSource(pooler, "helper-bounded"), NO_WAIT.maxAttempts(4), connection -> {
          attempts.incrementAndGet();
          Faults.SERIALIZATION.inject(connection, 0);
          return null;
        }));
    assertThat(attempts).hasValue(4);
    assertThat(failure.getSQLState()).isEqualTo("40001");
    assertThat(failure.getSuppressed()).hasSize(3)
        .allSatisfy(earlier -> assertThat(((SQLException) earlier).getSQLState()).isEqualTo("40001"));
  }

  /** A real serialization conflict between two SERIALIZABLE units, resolved by the retry. */
  @Test
  void aRealSerializationConflictIsRetried(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler,
      PostgresServer postgres) throws Exception {
    long id = FaultSchema.nextId();
    ServerlessPgDataSource dataSource = dataSource(pooler, "helper-serializable");
    TransactionOptions serializable = NO_WAIT.isolation(Connection.TRANSACTION_SERIALIZABLE);
    AtomicInteger attempts = new AtomicInteger();
    ServerlessPg.inTransaction(dataSource, serializable, connection -> {
      int attempt = attempts.incrementAndGet();
      long seen = countUnits(connection, id);
      if (attempt == 1) {
        // A concurrent unit commits a conflicting write after this one read (its own connection, same pooler).
        ServerlessPg.inTransaction(dataSource, serializable, other -> {
          countUnits(other, id);
          insert(other, id);
          return null;
        });
      }
      if (seen == 0) {
        insert(connection, id);
      }
      return null;
    });
    assertThat(attempts).hasValue(2);
    assertThat(FaultSchema.unitRows(postgres, id)).isEqualTo(1);
  }

  /** The unknown outcome is thrown, never retried, unless the unit is declared idempotent. */
  @Test
  void anUnknownCommitOutcomeIsRetriedOnlyForIdempotentUnits(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler,
      PostgresServer postgres) throws SQLException {
    long id = FaultSchema.nextId();
    ServerlessPgDataSource dataSource = dataSource(pooler, "helper-unknown");
    AtomicInteger attempts = new AtomicInteger();
    SQLException failure = catchThrowableOfType(SQLException.class,
        () -> ServerlessPg.inTransaction(dataSource, NO_WAIT, connection -> {
          attempts.incrementAndGet();
          insert(connection, id);
          Faults.COMMIT_LOSS.inject(connection, id);
          return null;
        }));
    assertThat(failure.getSQLState()).isEqualTo("08007");
    assertThat(attempts).hasValue(1);

    AtomicInteger idempotentAttempts = new AtomicInteger();
    ServerlessPg.inTransaction(dataSource, NO_WAIT.idempotent(true), connection -> {
      insert(connection, id);
      if (idempotentAttempts.incrementAndGet() == 1) {
        Faults.COMMIT_LOSS.inject(connection, id);
      }
      return null;
    });
    assertThat(idempotentAttempts).hasValue(2);
    assertThat(FaultSchema.unitRows(postgres, id)).isEqualTo(1);
  }

  /**
   * The case 08007 exists for: the server commits, the answer never arrives. The network to PostgreSQL goes silent
   * while COMMIT runs (a proxy starts dropping everything once the server is inside COMMIT); the client gives up
   * after its socket timeout. The unit is reported unknown and not run again, and it did commit: a blind retry would
   * have applied it twice. Declared idempotent, it is run again, and still applied once.
   */
  @Test
  void aCommitWhoseAnswerIsLostIsUnknownAndRepeatedOnlyWhenIdempotent(PostgresServer postgres) throws Exception {
    try (FaultProxy proxy = FaultProxy.to(postgres.host(), postgres.port())) {
      ServerlessPgDataSource dataSource = new ServerlessPgDataSource("jdbc:serverless-pg://" + proxy.address() + "/"
          + postgres.database() + "?ApplicationName=helper-answer-lost&mode=direct&socketTimeout=2"
          + "&connectRetryBudget=5000");
      dataSource.setProperties(postgres.credentials());

      long id = FaultSchema.nextId();
      AtomicInteger attempts = new AtomicInteger();
      SQLException failure = catchThrowableOfType(SQLException.class,
          () -> ServerlessPg.inTransaction(dataSource, NO_WAIT, connection -> {
            attempts.incrementAndGet();
            insert(connection, id);
            cutTheNetworkDuringCommit(connection, proxy, postgres, id);
            return null;
          }));
      assertThat(failure.getSQLState()).isEqualTo("08007");
      assertThat(attempts).hasValue(1);
      assertThat(FaultSchema.unitRows(postgres, id)).as("it did commit").isEqualTo(1);

      long idempotentId = FaultSchema.nextId();
      AtomicInteger idempotentAttempts = new AtomicInteger();
      ServerlessPg.inTransaction(dataSource, NO_WAIT.idempotent(true), connection -> {
        try (Statement statement = connection.createStatement()) {
          statement.executeUpdate("insert into fault_units(id) select " + idempotentId
              + " where not exists (select 1 from fault_units where id = " + idempotentId + ")");
        }
        if (idempotentAttempts.incrementAndGet() == 1) {
          cutTheNetworkDuringCommit(connection, proxy, postgres, idempotentId);
        }
        return null;
      });
      assertThat(idempotentAttempts).hasValue(2);
      assertThat(FaultSchema.unitRows(postgres, idempotentId)).isEqualTo(1);
    }
  }

  /**
   * Arranges for COMMIT to run slowly, and for the proxy to drop everything once this backend is inside it, and to
   * forward again once the client has closed the dead connection.
   */
  private static void cutTheNetworkDuringCommit(Connection connection, FaultProxy proxy, PostgresServer postgres,
      long id) throws SQLException {
    int pid;
    try (Statement statement = connection.createStatement();
        ResultSet backend = statement.executeQuery("select pg_backend_pid()")) {
      backend.next();
      pid = backend.getInt(1);
      statement.execute("insert into fault_slow_commit(id) values (" + id + ")");
    }
    Thread watcher = new Thread(() -> {
      try (Connection admin = postgres.openAdminConnection();
          PreparedStatement committing = admin.prepareStatement("select count(*) from pg_stat_activity "
              + "where pid = ? and state = 'active' and query = 'COMMIT'")) {
        committing.setInt(1, pid);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !isCommitting(committing)) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // polls the server, the condition waited for
        }
        int acceptedAtCut = proxy.accepted();
        proxy.fault(FaultProxy.Fault.BLACK_HOLE);
        // Forward again once the client gave the connection up: it closed it, or it is already opening another.
        while (System.nanoTime() < deadline && proxy.openClients() > 0 && proxy.accepted() == acceptedAtCut) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        proxy.fault(FaultProxy.Fault.NONE);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }, "commit-network-cutter");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static boolean isCommitting(PreparedStatement committing) throws SQLException {
    try (ResultSet rows = committing.executeQuery()) {
      rows.next();
      return rows.getInt(1) == 1;
    }
  }

  private static ServerlessPgDataSource dataSource(PgBouncerServer pooler, String application) {
    ServerlessPgDataSource dataSource = new ServerlessPgDataSource(Targets.through(pooler, application,
        "mode=transaction&maxConnections=2"));
    dataSource.setProperties(pooler.credentials());
    return dataSource;
  }

  private static void insert(Connection connection, long id) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate("insert into fault_units(id) values (" + id + ")");
    }
  }

  private static long countUnits(Connection connection, long id) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from fault_units where id = " + id)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
