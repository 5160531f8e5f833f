package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nestingAllowance} sets how many connections beyond {@code maxConnections} one thread may nest: with
 * {@code maxConnections=1} a thread holds 1 + allowance connections, the next fails with 08001 naming the allowance,
 * and PgBouncer never sees more clients than the hard cap.
 */
@RealDatabase
class NestingAllowanceTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 4})
  void theAllowanceIsTheHardCapAboveMaxConnections(int allowance, @Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    String application = "nesting-" + allowance;
    String url = Targets.through(pooler, application,
        "mode=transaction&maxConnections=1&acquireTimeout=300&nestingAllowance=" + allowance);
    assertThat(ServerlessPgDriver.explain(url, pooler.credentials()))
        .contains("at most 1 (+" + allowance + " for threads", "hard cap " + (1 + allowance));
    List<Connection> held = new ArrayList<>();
    try {
      for (int i = 0; i < 1 + allowance; i++) {
        held.add(Targets.connect(url, pooler.credentials()));
      }
      SQLException error = catchThrowableOfType(SQLException.class,
          () -> held.add(Targets.connect(url, pooler.credentials())));
      assertThat(error.getSQLState()).isEqualTo("08001");
      assertThat(error.getMessage()).contains("maxConnections=1", "nesting allowance of " + allowance);
      assertThat(Targets.clientsOf(pooler, application)).isEqualTo(1 + allowance);
    } finally {
      for (Connection connection : held) {
        connection.close();
      }
    }
    assertThat(Targets.clientsOf(pooler, application)).isLessThanOrEqualTo(1);
  }
}
