package io.github.serverlesspg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The retry table of {@link ServerlessPg}, failure by failure, including failures of other drivers and pools (the
 * helper takes any DataSource). The end-to-end behaviour is in the integration tests.
 */
class AttemptClassificationTest {
  private static final TransactionOptions PLAIN = TransactionOptions.defaults();
  private static final TransactionOptions IDEMPOTENT = PLAIN.idempotent(true);

  @Test
  void serializationFailuresAndDeadlocksAreRetriedBeforeAndAtCommit() {
    for (String state : new String[] {"40001", "40P01"}) {
      assertThat(retried(new SQLException("x", state), false, PLAIN)).isTrue();
      assertThat(retried(new SQLException("x", state), true, PLAIN)).isTrue();
    }
  }

  @Test
  void connectionLossIsRetriedOnlyBeforeCommitUnlessIdempotent() {
    for (SQLException loss : new SQLException[] {new SQLException("x", "08006"), new SQLException("x", "57P01"),
        new SQLException("I/O", null, new IOException("reset"))}) {
      assertThat(retried(loss, false, PLAIN)).isTrue();
      ServerlessPg.AttemptFailure atCommit = ServerlessPg.classify(loss, true, PLAIN);
      assertThat(atCommit.retryable).isFalse();
      assertThat(atCommit.cause.getSQLState()).as("another driver's lost COMMIT is reported unknown")
          .isEqualTo("08007");
      assertThat(atCommit.cause.getCause()).isSameAs(loss);
      assertThat(retried(loss, true, IDEMPOTENT)).isTrue();
    }
  }

  @Test
  void anUnknownOutcomeIsRetriedOnlyForIdempotentUnits() {
    SQLException unknown = new SQLException("x", "08007");
    assertThat(retried(unknown, true, PLAIN)).isFalse();
    assertThat(retried(unknown, true, IDEMPOTENT)).isTrue();
  }

  /** 08003 at commit: the connection was known closed, so COMMIT was never sent and nothing committed. */
  @Test
  void aConnectionAlreadyClosedAtCommitIsAFailureBeforeCommit() {
    assertThat(retried(new SQLException("closed", "08003"), true, PLAIN)).isTrue();
  }

  @Test
  void otherFailuresAreNotRetried() {
    for (String state : new String[] {"23505", "23514", "42601", "25006", "25P02", "42501", "22012"}) {
      assertThat(retried(new SQLException("x", state), false, IDEMPOTENT)).as(state).isFalse();
      assertThat(retried(new SQLException("x", state), true, IDEMPOTENT)).as(state).isFalse();
    }
  }

  /** A unit may wrap the driver's exception in its own: the first SQLSTATE along the causes decides. */
  @Test
  void wrappedFailuresAreClassifiedByTheirCause() {
    SQLException wrapped = new SQLException("transfer failed", null, new SQLException("x", "40001"));
    assertThat(retried(wrapped, false, PLAIN)).isTrue();
  }

  private static boolean retried(SQLException failure, boolean commitSent, TransactionOptions options) {
    return ServerlessPg.classify(failure, commitSent, options).retryable;
  }
}
