package io.github.serverlesspg.benchmarks;

import io.github.serverlesspg.benchmarks.stub.StubDriver;
import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.logical.ExecutionTracer;
import io.github.serverlesspg.logical.LogicalConnection;
import io.github.serverlesspg.physical.PhysicalConnection;
import io.github.serverlesspg.physical.PhysicalPool;
import io.github.serverlesspg.physical.PoolObserver;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.routing.ConnectionPlanner;
import io.github.serverlesspg.routing.Extensions;
import io.github.serverlesspg.routing.UnknownPropertyReporter;
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
    // No extensions and an empty environment: nothing about the machine running the benchmark changes the plan.
    ConnectionPlanner planner =
        new ConnectionPlanner(new Extensions(List.of(), List.of()), new UnknownPropertyReporter());
    ConnectionPlan plan = planner.plan("jdbc:serverless-pg://stub.invalid:5432/bench?mode=" + mode
        + "&maxConnections=1&telemetry=off", new Properties(), Environment.of(Map.of()));
    PhysicalPool pool = new PhysicalPool("stub", plan.pool(),
        () -> STUB.connect(StubDriver.URL, new Properties()), PoolObserver.NONE);
    int[] held = PhysicalPool.heldCounter();
    PhysicalConnection physical = pool.borrow();
    return new LogicalConnection(physical, pool, held, plan, tracer, null);
  }

  /** The stub connection itself, unwrapped: the baseline. */
  static Connection raw() {
    return STUB.connect(StubDriver.URL, new Properties());
  }
}
