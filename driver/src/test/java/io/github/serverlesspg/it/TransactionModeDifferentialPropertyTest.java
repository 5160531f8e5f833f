package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * Differential: random sequences of JDBC calls and SQL run through this driver in transaction mode behind the real
 * transaction-mode PgBouncer, and through plain pgjdbc straight to PostgreSQL (the oracle). What the application can
 * observe must be equal: every step's outcome (its value, or its exception's SQLSTATE class), the rows committed,
 * and the settings as seen inside the handle. After every sequence a second client of the same PgBouncer checks that
 * nothing of the sequence stayed on a pooled server connection.
 *
 * <p>The one deliberate difference (docs/modes.md) is modelled on the oracle's side: {@code commit()} of a transaction
 * the server already failed throws a class-40 error. The isolation level is observed only inside transactions, since
 * transaction mode runs an autocommit statement at the server's default (documented too).
 */
class TransactionModeDifferentialPropertyTest {
  /** One step of a sequence. */
  enum Op {
    AUTOCOMMIT_ON, AUTOCOMMIT_OFF, COMMIT, ROLLBACK, SQL_BEGIN, SQL_COMMIT, SQL_ROLLBACK,
    SAVEPOINT, ROLLBACK_TO_SAVEPOINT, RELEASE_SAVEPOINT, SQL_SAVEPOINT, SQL_ROLLBACK_TO, SQL_RELEASE,
    SET_WORK_MEM, SET_LOCAL_WORK_MEM, RESET_WORK_MEM, SET_SEARCH_PATH, RESET_SEARCH_PATH, SET_CONFIG_SEARCH_PATH,
    SET_SCHEMA, ISOLATION, READ_ONLY, INSERT, FAIL, FETCH, SHOW_SCHEMA, SHOW_WORK_MEM, SHOW_ISOLATION
  }

  /** A step and its argument (a schema, a size, an isolation level, a fetch size, by index). */
  record Step(Op op, int argument) {
    @Override
    public String toString() {
      return op + "(" + argument + ")";
    }
  }

  private static final String[] SCHEMAS = {"dp_one", "dp_two", "public"};
  private static final String[] SIZES = {"1MB", "2MB", "8MB"};
  private static final int[] LEVELS = {Connection.TRANSACTION_READ_COMMITTED, Connection.TRANSACTION_REPEATABLE_READ,
      Connection.TRANSACTION_SERIALIZABLE};

  private static DatabaseEnvironment environment;
  /** Truncates and reads the tables between runs: one connection for all tries. */
  private static Connection admin;

  @BeforeContainer
  static void prepare() throws SQLException {
    environment = DatabaseEnvironment.shared();
    admin = environment.postgres().openAdminConnection();
    try (Statement statement = admin.createStatement()) {
      for (String schema : SCHEMAS) {
        statement.execute("create schema if not exists " + schema);
        statement.execute("create table if not exists " + schema + ".dp_rows(step int, note text)");
      }
    }
  }

  @AfterContainer
  static void closeAdmin() throws SQLException {
    admin.close();
  }

  @Property(tries = 80)
  void theDriverInTransactionModeBehavesLikePlainPgjdbc(@ForAll("sequences") List<Step> steps,
      @ForAll boolean currentSchema) throws SQLException {
    PostgresServer postgres = environment.postgres();
    PgBouncerServer pooler = environment.pooler(PoolMode.TRANSACTION);
    String schema = currentSchema ? "&currentSchema=" + SCHEMAS[0] : "";

    truncate();
    List<String> viaDriver;
    try (Connection connection = Targets.connect(
        Targets.through(pooler, "differential", "mode=transaction&maxConnections=1" + schema),
        pooler.credentials())) {
      viaDriver = run(connection, steps, false);
    }
    List<String> committedViaDriver = committedRows();
    assertNothingLeaked(pooler);

    truncate();
    List<String> viaPgjdbc;
    try (Connection connection = DriverManager.getConnection(
        postgres.jdbcUrl() + "?ApplicationName=differential" + schema, postgres.credentials())) {
      viaPgjdbc = run(connection, steps, true);
    }
    List<String> committedViaPgjdbc = committedRows();

    assertThat(viaDriver).as("observations of %s", steps).isEqualTo(viaPgjdbc);
    assertThat(committedViaDriver).as("rows committed by %s", steps).isEqualTo(committedViaPgjdbc);
  }

  private static List<String> run(Connection connection, List<Step> steps, boolean oracle) {
    List<String> observed = new ArrayList<>();
    List<Savepoint> savepoints = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String outcome;
      try {
        outcome = apply(connection, step, i, savepoints, oracle);
      } catch (SQLException e) {
        outcome = "error " + (e.getSQLState() == null ? "null" : e.getSQLState().substring(0, 2));
      }
      observed.add(step + " -> " + outcome);
    }
    observed.add("final schema -> " + observe(connection, "select current_schema()"));
    observed.add("final work_mem -> " + observe(connection, "show work_mem"));
    return observed;
  }

  private static String apply(Connection connection, Step step, int index, List<Savepoint> savepoints,
      boolean oracle) throws SQLException {
    switch (step.op()) {
      case AUTOCOMMIT_ON:
        connection.setAutoCommit(true);
        return "ok";
      case AUTOCOMMIT_OFF:
        connection.setAutoCommit(false);
        return "ok";
      case COMMIT:
        if (oracle && !connection.getAutoCommit()
            && connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED) {
          // The documented difference: the driver throws 40000 where pgjdbc silently rolls back.
          connection.commit();
          return "error 40";
        }
        connection.commit();
        return "ok";
      case ROLLBACK:
        connection.rollback();
        return "ok";
      case SQL_BEGIN:
        return execute(connection, "BEGIN");
      case SQL_COMMIT:
        return execute(connection, "COMMIT");
      case SQL_ROLLBACK:
        return execute(connection, "ROLLBACK");
      case SAVEPOINT:
        savepoints.add(connection.setSavepoint());
        return "ok";
      case ROLLBACK_TO_SAVEPOINT:
        if (savepoints.isEmpty()) {
          return "none";
        }
        connection.rollback(savepoints.get(savepoints.size() - 1));
        return "ok";
      case RELEASE_SAVEPOINT:
        if (savepoints.isEmpty()) {
          return "none";
        }
        connection.releaseSavepoint(savepoints.remove(savepoints.size() - 1));
        return "ok";
      case SQL_SAVEPOINT:
        return execute(connection, "SAVEPOINT sp" + step.argument());
      case SQL_ROLLBACK_TO:
        return execute(connection, "ROLLBACK TO SAVEPOINT sp" + step.argument());
      case SQL_RELEASE:
        return execute(connection, "RELEASE SAVEPOINT sp" + step.argument());
      case SET_WORK_MEM:
        return execute(connection, "SET work_mem = '" + SIZES[step.argument()] + "'");
      case SET_LOCAL_WORK_MEM:
        return execute(connection, "SET LOCAL work_mem = '" + SIZES[step.argument()] + "'");
      case RESET_WORK_MEM:
        return execute(connection, "RESET work_mem");
      case SET_SEARCH_PATH:
        return execute(connection, "SET search_path = " + SCHEMAS[step.argument()]);
      case RESET_SEARCH_PATH:
        return execute(connection, "RESET search_path");
      case SET_CONFIG_SEARCH_PATH:
        try (java.sql.PreparedStatement statement =
            connection.prepareStatement("select set_config('search_path', ?, false)")) {
          statement.setString(1, SCHEMAS[step.argument()]);
          try (ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getString(1);
          }
        }
      case SET_SCHEMA:
        connection.setSchema(SCHEMAS[step.argument()]);
        return "ok";
      case ISOLATION:
        connection.setTransactionIsolation(LEVELS[step.argument()]);
        return "ok";
      case READ_ONLY:
        connection.setReadOnly(step.argument() == 0);
        return "ok";
      case INSERT:
        try (Statement statement = connection.createStatement()) {
          return String.valueOf(statement.executeUpdate(
              "insert into dp_rows(step, note) values (" + index + ", current_schema())"));
        }
      case FAIL:
        return execute(connection, "select 1/0");
      case FETCH:
        try (Statement statement = connection.createStatement()) {
          statement.setFetchSize(step.argument() + 2);
          int rows = 0;
          try (ResultSet result = statement.executeQuery("select g from generate_series(1, 25) g")) {
            while (result.next()) {
              rows++;
            }
          }
          return rows + " rows";
        }
      case SHOW_SCHEMA:
        return query(connection, "select current_schema()");
      case SHOW_WORK_MEM:
        return query(connection, "show work_mem");
      default: // SHOW_ISOLATION, inside a transaction only
        if (connection.getAutoCommit()) {
          return "autocommit";
        }
        return query(connection, "show transaction_isolation");
    }
  }

  private static String execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
      return "ok";
    }
  }

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  /** A last look inside the handle: rolled back first, so that a failed transaction does not hide the settings. */
  private static String observe(Connection connection, String sql) {
    try {
      if (!connection.getAutoCommit()) {
        connection.rollback();
      } else if (connection.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
        execute(connection, "ROLLBACK");
      }
      return query(connection, sql);
    } catch (SQLException e) {
      return "error " + e.getSQLState();
    }
  }

  private static void truncate() throws SQLException {
    try (Statement statement = admin.createStatement()) {
      for (String schema : SCHEMAS) {
        statement.execute("truncate " + schema + ".dp_rows");
      }
    }
  }

  private static List<String> committedRows() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = admin.createStatement()) {
      for (String schema : SCHEMAS) {
        try (ResultSet result = statement.executeQuery("select step, note from " + schema + ".dp_rows order by 1")) {
          while (result.next()) {
            rows.add(schema + ":" + result.getInt(1) + ":" + result.getString(2));
          }
        }
      }
    }
    return rows;
  }

  /** Another client of the same PgBouncer gets the server connections the handle used: they must look untouched. */
  private static void assertNothingLeaked(PgBouncerServer pooler) throws SQLException {
    Properties properties = pooler.credentials();
    properties.setProperty("prepareThreshold", "0");
    properties.setProperty("ApplicationName", "differential-checker");
    try (Connection checker = DriverManager.getConnection(pooler.jdbcUrl(), properties)) {
      for (int transaction = 0; transaction < 3; transaction++) {
        assertThat(query(checker, "select current_schema()")).as("search_path leaked").isEqualTo("public");
        assertThat(query(checker, "show work_mem")).as("work_mem leaked").isEqualTo("4MB");
        assertThat(query(checker, "show default_transaction_isolation")).as("isolation leaked")
            .isEqualTo("read committed");
        assertThat(query(checker, "show transaction_isolation")).isEqualTo("read committed");
      }
    }
  }

  @Provide
  Arbitrary<List<Step>> sequences() {
    Arbitrary<Step> step = Combinators.combine(
        Arbitraries.of(Op.class), Arbitraries.integers().between(0, 2)).as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(12);
  }
}
