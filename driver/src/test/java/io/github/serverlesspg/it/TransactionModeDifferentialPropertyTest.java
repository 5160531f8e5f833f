package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
    SET_SCHEMA, ISOLATION, READ_ONLY, INSERT, FAIL, FETCH, SHOW_SCHEMA, SHOW_WORK_MEM, SHOW_ISOLATION,
    // Plain Statement executions, which transaction mode sends with the settings in front in autocommit: what the
    // application sees of their results must be pgjdbc's exactly (full SQLSTATE and message, not only the class).
    UPDATE_COUNT, QUERY_WITHOUT_RESULT, UPDATE_WITH_RESULT, RESULT_CHAIN, WARNING, MAX_ROWS, SYNTAX_ERROR,
    GENERATED_KEYS,
    // The same for prepared statements, which transaction mode runs on a twin with the settings in front: prepared
    // now, or at the start of the sequence (KEPT_PREPARED, whose settings may have changed since).
    PREPARED_QUERY, PREPARED_UPDATE, PREPARED_QUERY_WITHOUT_RESULT, PREPARED_FAIL, PREPARED_READER, KEPT_PREPARED
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
      statement.execute("create or replace function public.dp_warn() returns int language plpgsql as "
          + "$$BEGIN RAISE WARNING 'schema %', current_schema(); RETURN 1; END$$");
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

  private static List<String> run(Connection connection, List<Step> steps, boolean oracle) throws SQLException {
    List<String> observed = new ArrayList<>();
    List<Savepoint> savepoints = new ArrayList<>();
    try (PreparedStatement kept = connection.prepareStatement(
        "select current_schema() || ' ' || current_setting('work_mem') || ' ' || ?")) {
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        String outcome;
        try {
          outcome = step.op() == Op.KEPT_PREPARED ? prepared(kept, step, i) : apply(connection, step, i, savepoints, oracle);
        } catch (SQLException e) {
          outcome = "error " + (e.getSQLState() == null ? "null" : e.getSQLState().substring(0, 2));
        }
        observed.add(step + " -> " + outcome);
      }
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
      case SHOW_ISOLATION: // inside a transaction only
        if (connection.getAutoCommit()) {
          return "autocommit";
        }
        return query(connection, "show transaction_isolation");
      default:
        return exactly(connection, step, index);
    }
  }

  /** The prepared executions: everything the application can see of them, errors in full. */
  private static String prepared(PreparedStatement statement, Step step, int index) {
    StringBuilder seen = new StringBuilder();
    try {
      switch (step.op()) {
        case PREPARED_UPDATE:
          statement.setInt(1, index);
          seen.append(statement.executeUpdate()).append(' ').append(statement.getUpdateCount()).append(' ')
              .append(statement.getMoreResults()).append(' ').append(statement.getUpdateCount());
          break;
        case PREPARED_QUERY_WITHOUT_RESULT:
          statement.setInt(1, index);
          statement.executeQuery();
          seen.append("returned");
          break;
        case PREPARED_FAIL:
          statement.setInt(1, step.argument() - 1); // 1/0 fails, 1/1 and 1/-1 do not
          seen.append(statement.execute()).append(' ').append(statement.getWarnings());
          break;
        case PREPARED_READER:
          statement.setInt(1, index);
          statement.setCharacterStream(2, new java.io.StringReader("r " + step.argument()));
          seen.append(statement.executeUpdate());
          break;
        default: // PREPARED_QUERY, KEPT_PREPARED
          statement.setMaxRows(step.argument());
          statement.setString(1, "p" + step.argument());
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              seen.append(result.getString(1));
            }
          }
          seen.append(' ').append(statement.getMoreResults()).append(' ').append(statement.getUpdateCount());
      }
    } catch (SQLException e) {
      seen.append(" error ").append(e.getSQLState()).append(' ').append(e.getMessage());
    }
    try {
      return seen.append(" / ").append(transactionState(statement.getConnection())).toString();
    } catch (SQLException e) {
      return seen.append(" / error ").append(e.getSQLState()).toString();
    }
  }

  /** The plain Statement executions: everything the application can see of them, errors in full. */
  private static String exactly(Connection connection, Step step, int index) {
    String preparedSql;
    switch (step.op()) {
      case PREPARED_QUERY:
        preparedSql = "select current_schema() || ' ' || current_setting('work_mem') || ' ' || ?"
            + " from generate_series(1, 3)";
        break;
      case PREPARED_UPDATE:
      case PREPARED_QUERY_WITHOUT_RESULT:
        preparedSql = "insert into dp_rows(step, note) values (?, 'p ' || current_schema())";
        break;
      case PREPARED_FAIL:
        preparedSql = "select 1 / ?, public.dp_warn()";
        break;
      case PREPARED_READER:
        preparedSql = "insert into dp_rows(step, note) values (?, ? || current_schema())";
        break;
      default:
        preparedSql = null;
    }
    if (preparedSql != null) {
      try (PreparedStatement statement = connection.prepareStatement(preparedSql)) {
        return prepared(statement, step, index);
      } catch (SQLException e) {
        return "error " + e.getSQLState() + " " + e.getMessage();
      }
    }
    StringBuilder seen = new StringBuilder();
    try (Statement statement = connection.createStatement()) {
      switch (step.op()) {
        case UPDATE_COUNT:
          seen.append(statement.executeUpdate("update dp_rows set note = current_schema() where step < " + index))
              .append(' ').append(statement.getUpdateCount()).append(' ').append(statement.getResultSet());
          break;
        case QUERY_WITHOUT_RESULT:
          statement.executeQuery("insert into dp_rows(step, note) values (" + index + ", 'q ' || current_schema())");
          seen.append("returned");
          break;
        case UPDATE_WITH_RESULT:
          statement.executeUpdate("select current_schema()");
          seen.append("returned");
          break;
        case RESULT_CHAIN:
          seen.append(statement.execute("select current_schema(), current_setting('work_mem')"));
          try (ResultSet result = statement.getResultSet()) {
            result.next();
            seen.append(' ').append(result.getString(1)).append(' ').append(result.getString(2));
          }
          seen.append(' ').append(statement.getUpdateCount()).append(' ').append(statement.getMoreResults())
              .append(' ').append(statement.getUpdateCount()).append(' ').append(statement.getResultSet());
          break;
        case WARNING:
          seen.append(statement.execute("select public.dp_warn()"));
          for (java.sql.SQLWarning warning = statement.getWarnings(); warning != null;
              warning = warning.getNextWarning()) {
            seen.append(' ').append(warning.getSQLState()).append(' ').append(warning.getMessage());
          }
          seen.append(' ').append(statement.getUpdateCount());
          break;
        case MAX_ROWS:
          statement.setMaxRows(step.argument() + 1);
          try (ResultSet result = statement.executeQuery("select g from generate_series(1, 5) g")) {
            while (result.next()) {
              seen.append(result.getInt(1));
            }
          }
          break;
        case SYNTAX_ERROR:
          statement.execute("selec current_schema()");
          seen.append("returned");
          break;
        default: // GENERATED_KEYS
          seen.append(statement.executeUpdate("insert into dp_rows(step, note) values (" + index
              + ", 'k ' || current_schema())", Statement.RETURN_GENERATED_KEYS));
          try (ResultSet keys = statement.getGeneratedKeys()) {
            while (keys.next()) {
              seen.append(' ').append(keys.getInt(1)).append(' ').append(keys.getString(2));
            }
          }
      }
    } catch (SQLException e) {
      seen.append(" error ").append(e.getSQLState()).append(' ').append(e.getMessage());
    }
    return seen.append(" / ").append(transactionState(connection)).toString();
  }

  private static String transactionState(Connection connection) {
    try {
      return connection.unwrap(BaseConnection.class).getTransactionState().name();
    } catch (SQLException e) {
      return "error " + e.getSQLState();
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
