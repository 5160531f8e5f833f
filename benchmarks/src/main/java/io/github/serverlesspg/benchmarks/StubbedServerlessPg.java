package io.github.serverlesspg.benchmarks;

import io.github.serverlesspg.benchmarks.stub.StubDriver;
import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.logical.ExecutionTracer;
import io.github.serverlesspg.logical.LogicalConnection;
import io.github.serverlesspg.physical.PhysicalConnection;
import io.github.serverlesspg.physical.PhysicalPool;
import io.github.serverlesspg.physical.PoolObserver;
import io.github.serverlesspg.physical.PoolStats;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.routing.ConnectionPlanner;
import io.github.serverlesspg.routing.Extensions;
import io.github.serverlesspg.routing.UnknownPropertyReporter;
import io.github.serverlesspg.telemetry.PlanTelemetry;
import io.github.serverlesspg.telemetry.PoolDirectory;
import io.github.serverlesspg.telemetry.Telemetry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * This driver's logical connection over a {@link StubDriver} connection, wired as {@code ConnectionBroker} wires it
 * except for the connector: the plan comes from the real {@link ConnectionPlanner}, the physical connection from a
 * real {@link PhysicalPool} whose connector opens a stub instead of a pgjdbc connection. Everything the wrappers do
 * per statement therefore runs as in production; only the network is gone.
 */
final class StubbedServerlessPg {
  private static final StubDriver STUB = new StubDriver();

  private StubbedServerlessPg() {
  }

  /**
   * @param mode {@code direct} or {@code transaction}
   * @param tracer the statement tracer; {@link ExecutionTracer#NONE} is {@code telemetry=off}
   */
  static Connection open(String mode, ExecutionTracer tracer) throws SQLException {
    ConnectionPlan plan = plan(mode, "&telemetry=off");
    PhysicalPool pool = new PhysicalPool("stub", plan.pool(),
        () -> STUB.connect(StubDriver.URL, new Properties()), PoolObserver.NONE);
    PhysicalConnection physical = pool.borrow();
    return new LogicalConnection(physical, pool, plan, tracer, null);
  }

  /**
   * With {@code telemetry=on} (the default), wired as {@code ConnectionBroker} wires it: the plan's
   * {@link PlanTelemetry} from {@link Telemetry#of}, its query tracer and pool observer. Whether spans and metrics are
   * recorded is decided per statement by the OpenTelemetry instance in use (none, the no-op API, an SDK), which the
   * caller sets with {@code ServerlessPgDriver.setOpenTelemetry} before calling this.
   *
   * @param mode {@code direct} or {@code transaction}
   */
  static Connection openTraced(String mode) throws SQLException {
    ConnectionPlan plan = plan(mode, "");
    PhysicalPool[] opened = new PhysicalPool[1];
    PoolDirectory directory = new PoolDirectory() {
      @Override
      public String target(ConnectionPlan p) {
        return p.primaryEndpoint() + "/" + (p.database() == null ? "" : p.database());
      }

      @Override
      public PoolStats stats(String target) {
        return opened[0] == null ? new PoolStats(0, 0, 0, 0, 0) : opened[0].stats();
      }
    };
    PlanTelemetry telemetry = Telemetry.of(plan, directory);
    PhysicalPool pool = new PhysicalPool(directory.target(plan), plan.pool(),
        () -> STUB.connect(StubDriver.URL, new Properties()), telemetry.poolObserver());
    opened[0] = pool;
    PhysicalConnection physical = pool.borrow();
    return new LogicalConnection(physical, pool, plan, telemetry.queryTracer(), null);
  }

  private static ConnectionPlan plan(String mode, String extraQuery) throws SQLException {
    // No extensions and an empty environment: nothing about the machine running the benchmark changes the plan.
    ConnectionPlanner planner =
        new ConnectionPlanner(new Extensions(List.of(), List.of()), new UnknownPropertyReporter());
    return planner.plan("jdbc:serverless-pg://stub.invalid:5432/bench?mode=" + mode + "&maxConnections=1"
        + extraQuery, new Properties(), Environment.of(Map.of()));
  }

  /** The stub connection itself, unwrapped: the baseline. */
  static Connection raw() {
    return STUB.connect(StubDriver.URL, new Properties());
  }
}
