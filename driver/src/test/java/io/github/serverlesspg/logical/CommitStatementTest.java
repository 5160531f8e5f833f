package io.github.serverlesspg.logical;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Which SQL texts {@link CommitOutcome} treats as a COMMIT of the current transaction. */
class CommitStatementTest {

  @Test
  void commitAndEndInTheirSpellingsAreCommits() {
    for (String sql : new String[] {"COMMIT", "commit", " Commit;", "COMMIT WORK", "commit transaction",
        "END", "end;", "END TRANSACTION", "COMMIT AND NO CHAIN", "\n\tCOMMIT"}) {
      assertThat(CommitOutcome.isCommitStatement(sql)).as(sql).isTrue();
    }
  }

  @Test
  void otherStatementsAreNot() {
    for (String sql : new String[] {"", "   ", "COMMIT PREPARED 'tx1'", "commit prepared 'x'", "COMMITTED",
        "ENDPOINT", "select 'COMMIT'", "ROLLBACK", "end_date", "insert into t values (1)", "CO", "E"}) {
      assertThat(CommitOutcome.isCommitStatement(sql)).as(sql).isFalse();
    }
  }

  /** Identifiers that merely start with the keywords never count. */
  @Property(tries = 300)
  void wordsThatMerelyStartWithTheKeywordAreNotCommits(@ForAll("keyword") String keyword,
      @ForAll @AlphaChars @StringLength(min = 1, max = 8) String suffix) {
    assertThat(CommitOutcome.isCommitStatement(keyword + suffix + " x")).isFalse();
  }

  @Provide
  Arbitrary<String> keyword() {
    return Arbitraries.of("COMMIT", "commit", "END", "end", "Commit");
  }
}
