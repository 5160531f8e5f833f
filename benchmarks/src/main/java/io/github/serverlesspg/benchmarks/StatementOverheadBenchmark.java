package io.github.serverlesspg.benchmarks;

import io.github.serverlesspg.logical.ExecutionTracer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The wrappers' own cost per statement: one prepared query ({@code prepareStatement}, {@code setInt},
 * {@code executeQuery}, {@code next}, {@code getInt}, closes) against an in-memory stub driver, unwrapped and
 * wrapped by this driver's logical connection in each mode. The wrapper's cost is the difference to {@code RAW_STUB}.
 *
 * <p>To compare another wrapper (telemetry with the no-op API or an SDK, the OpenTelemetry JDBC library), add a
 * {@link Wrapping} constant that opens it over the same stub: every constant runs side by side in one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatementOverheadBenchmark {
  /** A typical point lookup; its text is what the transaction-mode session-state check scans on every execution. */
  private static final String QUERY = "SELECT id, name, email FROM users WHERE id = ?";

  /** What sits between the benchmark and the stub connection. */
  public enum Wrapping {
    RAW_STUB {
      @Override
      Connection open() {
        return StubbedServerlessPg.raw();
      }
    },
    SERVERLESS_PG_DIRECT {
      @Override
      Connection open() throws SQLException {
        return StubbedServerlessPg.open("direct", ExecutionTracer.NONE);
      }
    },
    SERVERLESS_PG_TRANSACTION {
      @Override
      Connection open() throws SQLException {
        return StubbedServerlessPg.open("transaction", ExecutionTracer.NONE);
      }
    };

    abstract Connection open() throws SQLException;
  }

  @State(Scope.Thread)
  public static class OpenConnection {
    @Param
    public Wrapping wrapping;
    Connection connection;
    /** Varies per call so that the JIT cannot fold the parameter into a constant. */
    int id;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      connection = wrapping.open();
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      connection.close();
    }
  }

  @Benchmark
  public int preparedQuery(OpenConnection open) throws SQLException {
    try (PreparedStatement statement = open.connection.prepareStatement(QUERY)) {
      statement.setInt(1, open.id++);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getInt(1);
      }
    }
  }
}
