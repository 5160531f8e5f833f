package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.ServerlessPg;
import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.TransactionOptions;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ServerlessPg#inTransaction} through the real transaction-mode PgBouncer: what it retries and what not. */
@RealDatabase
class TransactionHelperTest {
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
