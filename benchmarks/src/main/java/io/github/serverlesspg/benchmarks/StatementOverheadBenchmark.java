package io.github.serverlesspg.benchmarks;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.benchmarks.stub.StubDataSource;
import io.github.serverlesspg.logical.ExecutionTracer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;
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
 * <p>Telemetry's cost is measured the same way: this driver with telemetry on and no OpenTelemetry instance (the
 * no-op API: statement statistics for health only), with the no-op API injected, and with an SDK
 * ({@link BenchmarkOpenTelemetry#sdk()}); and the OpenTelemetry JDBC library wrapper over the same stub with the
 * no-op API and with the same SDK. Every constant runs side by side in one run.
 *
 * <p>The OpenTelemetry instance this driver uses is process-wide ({@code ServerlessPgDriver.setOpenTelemetry}), so
 * every constant's {@link Wrapping#open()} sets it (to null when it wants none) before opening, and the trial's
 * teardown clears it: each variant sees only its own instance even if JMH ran several in one JVM. JMH runs each
 * parameter value in a fork of its own anyway ({@code -f 1}), and this driver never reads the global instance
 * while one is injected, nor installs one.
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
        ServerlessPgDriver.setOpenTelemetry(null);
        return StubbedServerlessPg.raw();
      }
    },
    SERVERLESS_PG_DIRECT {
      @Override
      Connection open() throws SQLException {
        ServerlessPgDriver.setOpenTelemetry(null);
        return StubbedServerlessPg.open("direct", ExecutionTracer.NONE);
      }
    },
    SERVERLESS_PG_TRANSACTION {
      @Override
      Connection open() throws SQLException {
        ServerlessPgDriver.setOpenTelemetry(null);
        return StubbedServerlessPg.open("transaction", ExecutionTracer.NONE);
      }
    },
    /** Telemetry on, no SDK injected and no global: the no-op API, statement statistics for health only. */
    SERVERLESS_PG_OTEL_NOOP {
      @Override
      Connection open() throws SQLException {
        ServerlessPgDriver.setOpenTelemetry(null);
        return StubbedServerlessPg.openTraced("direct");
      }
    },
    /** Telemetry on with {@code OpenTelemetry.noop()} injected explicitly: the no-op API's tracer and meter called. */
    SERVERLESS_PG_OTEL_NOOP_INJECTED {
      @Override
      Connection open() throws SQLException {
        ServerlessPgDriver.setOpenTelemetry(OpenTelemetry.noop());
        return StubbedServerlessPg.openTraced("direct");
      }
    },
    /** Telemetry on with an SDK injected: a span and a duration measurement per statement. */
    SERVERLESS_PG_OTEL_SDK {
      @Override
      Connection open() throws SQLException {
        ServerlessPgDriver.setOpenTelemetry(BenchmarkOpenTelemetry.sdk());
        return StubbedServerlessPg.openTraced("direct");
      }
    },
    /** The OpenTelemetry JDBC library wrapper ({@code opentelemetry-jdbc}) with the no-op API. */
    OTEL_JDBC_NOOP {
      @Override
      Connection open() throws SQLException {
        ServerlessPgDriver.setOpenTelemetry(null);
        return JdbcTelemetry.create(OpenTelemetry.noop()).wrap(new StubDataSource()).getConnection();
      }
    },
    /** The OpenTelemetry JDBC library wrapper with the same SDK as {@link #SERVERLESS_PG_OTEL_SDK}. */
    OTEL_JDBC_SDK {
      @Override
      Connection open() throws SQLException {
        ServerlessPgDriver.setOpenTelemetry(null);
        return JdbcTelemetry.create(BenchmarkOpenTelemetry.sdk()).wrap(new StubDataSource()).getConnection();
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
      ServerlessPgDriver.setOpenTelemetry(null);
      String report = BenchmarkOpenTelemetry.report();
      if (report != null) {
        System.out.println(wrapping + ": " + report);
      }
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
