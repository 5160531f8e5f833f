package io.github.serverlesspg.logical;

import java.sql.SQLException;

/**
 * Observes statement executions and transaction ends of the logical connections of one target, so that telemetry
 * can trace them without the wrappers knowing about OpenTelemetry. One instance per target; thread-safe.
 */
public interface ExecutionTracer {
  /** Traces nothing at no cost: {@code telemetry=off}. */
  ExecutionTracer NONE = new ExecutionTracer() {
    @Override
    public Object start(String sql, boolean parameterized, int batchSize) {
      return null;
    }

    @Override
    public void end(Object token, SQLException failure) {
    }
  };

  /**
   * Called right before the driver sends a statement.
   *
   * @param sql the SQL as the application wrote it ({@code COMMIT} / {@code ROLLBACK} for transaction ends)
   * @param parameterized whether the SQL has bind parameters (a prepared or callable statement)
   * @param batchSize the number of statements or parameter sets in a batch, 0 for a single execution
   * @return a token handed back to {@link #end}, or null
   */
  Object start(String sql, boolean parameterized, int batchSize);

  /** Called when the execution finished, with the failure or null. */
  void end(Object token, SQLException failure);
}
