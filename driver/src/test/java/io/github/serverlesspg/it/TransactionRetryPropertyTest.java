package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.serverlesspg.ServerlessPg;
import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.TransactionOptions;
import io.github.serverlesspg.physical.PhysicalConnectionCache;
import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * No unit of work is ever applied twice, whatever fails where: each try runs one unit through
 * {@link ServerlessPg#inTransaction} with a plan of real faults, one per attempt, each at a chosen statement of the
 * unit, through the transaction-mode PgBouncer. A model predicts what the helper must do (return, or throw which
 * SQLSTATE, after how many attempts); the database is asked how often the unit was applied.
 */
class TransactionRetryPropertyTest {
  private static final int MAX_ATTEMPTS = 3;
  private static final int STATEMENTS = 3;

  private static DatabaseEnvironment environment;
  private static ServerlessPgDataSource dataSource;

  /** One attempt's fault and the statement of the unit before which it strikes. */
  record Fault(Faults kind, int beforeStatement) {
  }

  @BeforeContainer
  static void prepare() throws SQLException {
    environment = DatabaseEnvironment.shared();
    FaultSchema.create(environment.postgres());
    PgBouncerServer pooler = environment.pooler(PoolMode.TRANSACTION);
    dataSource = new ServerlessPgDataSource(Targets.through(pooler, "retry-property",
        "mode=transaction&maxConnections=1"));
    dataSource.setProperties(pooler.credentials());
  }

  /** The shared server's max_connections is small: leave no idle physical connection of this test behind. */
  @AfterContainer
  static void closeIdleConnections() {
    PhysicalConnectionCache.global().closeIdle("test finished");
  }

  @Property(tries = 60)
  void aUnitIsAppliedAtMostOnceAndExactlyOnceWhenItReturns(@ForAll("plans") List<Fault> plan,
      @ForAll boolean idempotent) throws SQLException {
    long id = FaultSchema.nextId();
    AtomicInteger attempts = new AtomicInteger();
    TransactionOptions options = TransactionOptions.defaults().maxAttempts(MAX_ATTEMPTS).idempotent(idempotent)
        .backoff(Duration.ZERO, Duration.ZERO);

    SQLException thrown = null;
    try {
      String result = ServerlessPg.inTransaction(dataSource, options, connection -> {
        int attempt = attempts.getAndIncrement();
        Fault fault = attempt < plan.size() ? plan.get(attempt) : new Fault(Faults.NONE, 0);
        for (int statement = 0; statement < STATEMENTS; statement++) {
          if (statement == fault.beforeStatement()) {
            fault.kind().inject(connection, id);
          }
          if (statement == 0) {
            // Idempotent units guard their write; the others would show a second application as a second row.
            try (PreparedStatement insert = connection.prepareStatement(idempotent
                ? "insert into fault_units(id) select ? where not exists (select 1 from fault_units where id = ?)"
                : "insert into fault_units(id) values (?)")) {
              insert.setLong(1, id);
              if (idempotent) {
                insert.setLong(2, id);
              }
              insert.executeUpdate();
            }
          } else {
            try (PreparedStatement read = connection.prepareStatement("select count(*) from fault_units where id = ?")) {
              read.setLong(1, id);
              read.executeQuery().close();
            }
          }
        }
        return "done";
      });
      assertThat(result).isEqualTo("done");
    } catch (SQLException e) {
      thrown = e;
    }

    Expected expected = Expected.of(plan, idempotent);
    assertThat(attempts.get()).as("attempts").isEqualTo(expected.attempts);
    if (expected.failure == null) {
      assertThat((Throwable) thrown).as("the unit should have succeeded").isNull();
      assertThat(FaultSchema.unitRows(environment.postgres(), id)).as("applications").isEqualTo(1);
    } else {
      if (thrown == null) {
        fail("expected %s after %d attempts, but the unit returned", expected.failure, expected.attempts);
      }
      assertThat(thrown.getSQLState()).matches(expected.failure.reportedState());
      // Every fault here rolls back (the commit-time one terminates before the commit record).
      assertThat(FaultSchema.unitRows(environment.postgres(), id)).as("applications").isZero();
    }
  }

  /** The model: attempt after attempt, the plan's fault decides whether the helper goes on. */
  private record Expected(int attempts, Faults failure) {
    static Expected of(List<Fault> plan, boolean idempotent) {
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        Faults kind = attempt < plan.size() ? plan.get(attempt).kind() : Faults.NONE;
        if (kind == Faults.NONE) {
          return new Expected(attempt + 1, null);
        }
        if (!kind.retryable(idempotent) || attempt == MAX_ATTEMPTS - 1) {
          return new Expected(attempt + 1, kind);
        }
      }
      throw new AssertionError("unreachable");
    }
  }

  @Provide
  Arbitrary<List<Fault>> plans() {
    Arbitrary<Fault> fault = Combinators.combine(Arbitraries.of(Faults.class), Arbitraries.integers().between(0,
        STATEMENTS - 1)).as(Fault::new);
    return fault.list().ofMinSize(0).ofMaxSize(MAX_ATTEMPTS + 1);
  }
}
