package io.github.serverlesspg.physical;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens one physical pgjdbc connection for a target. Telemetry wraps it to time the connect phases. */
@FunctionalInterface
public interface Connector {
  Connection open() throws SQLException;
}
