package io.github.serverlesspg.sql;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class SqlLexicalPropertiesTest {

  /** Statements covering every feature, and safe ones. */
  private static final String[] STATEMENTS = {
      "SET search_path = app", "SET LOCAL a = 1", "RESET ALL", "LISTEN jobs", "PREPARE p AS SELECT 1",
      "SELECT pg_advisory_lock(1)", "DECLARE c CURSOR WITH HOLD FOR SELECT 1", "CREATE TEMP TABLE t (i int)",
      "LOAD 'x'", "SELECT set_config('a', 'b', false)", "SELECT * FROM t", "SET SESSION CHARACTERISTICS AS"
          + " TRANSACTION READ ONLY", "SELECT pg_advisory_xact_lock(1)", "UPDATE t SET a = 1",
  };

  @Property
  void neverThrowsOnAnyText(@ForAll("sqlish") String sql) {
    SessionStateCheck.find(sql);
    QueryDescription description = QueryDescription.of(sql);
    assertThat(description.spanName()).isNotEmpty();
    assertThat(description.sanitizedText()).isNotNull();
  }

  @Property
  void neverThrowsOnArbitraryUnicode(@ForAll String sql) {
    SessionStateCheck.find(sql);
    QueryDescription.of(sql);
  }

  @Property
  void sanitizedTextNeverKeepsALiteral(
      @ForAll("tricky") String text, @ForAll @LongRange(min = 0) long number, @ForAll("tricky") String dollarBody) {
    String sql = "SELECT x FROM t WHERE a = '" + text.replace("'", "''") + "' AND b = " + number
        + " AND c = E'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
        + " AND d = $body$" + dollarBody.replace("$body$", "") + "$body$";

    QueryDescription description = QueryDescription.of(sql);

    assertThat(description.sanitizedText())
        .isEqualTo("SELECT x FROM t WHERE a = ? AND b = ? AND c = ? AND d = ?");
    assertThat(description.querySummary()).isEqualTo("SELECT t");
  }

  @Property
  void commentsAndWhitespaceAroundAStatementChangeNothing(
      @ForAll("statements") String statement, @ForAll("trivia") String before, @ForAll("trivia") String after) {
    assertThat(SessionStateCheck.find(before + statement + after)).isEqualTo(SessionStateCheck.find(statement));
  }

  @Property
  void quotedOrCommentedStatementsAreAlwaysSafe(@ForAll("statements") String statement, @ForAll("sqlish") String tail,
      @ForAll @IntRange(max = 4) int wrapping) {
    String hidden = switch (wrapping) {
      case 0 -> "SELECT '" + statement.replace("'", "''") + "'";
      case 1 -> "/* " + statement.replace("*/", "") + " */ SELECT 1";
      case 2 -> "-- " + statement + "\nSELECT 1";
      case 3 -> "SELECT $q$" + statement + "$q$";
      default -> "SELECT \"" + statement.replace("\"", "\"\"") + "\" FROM t";
    };
    assertThat(SessionStateCheck.find(hidden)).isEqualTo(SessionFeature.NONE);
  }

  @Provide
  Arbitrary<String> sqlish() {
    Arbitrary<String> pieces = Arbitraries.of("'", "''", "\"", "$", "$$", "$a$", "$1", "?", "??", "--", "/*", "*/",
        "\n", " ", "(", ")", ";", ",", ".", "E'", "U&'", "U&\"", "\\", "0x", "1e", "1.5", "SET", "LISTEN",
        "WITH", "AS", "SELECT", "FROM", "JOIN", "INTO", "TEMP", "TABLE", "CREATE", "set_config", "false",
        "pg_advisory_lock", "DECLARE", "HOLD", "x", "t");
    return pieces.list().ofMaxSize(40).map(list -> String.join("", list));
  }

  @Provide
  Arbitrary<String> tricky() {
    return Arbitraries.strings().withChars("ab'\"\\$;-/* \n?").ofMaxLength(30)
        .map(s -> "S3cr3t" + s); // a marker no template word contains
  }

  @Provide
  Arbitrary<String> statements() {
    return Arbitraries.of(STATEMENTS);
  }

  @Provide
  Arbitrary<String> trivia() {
    Arbitrary<String> piece = Arbitraries.of(" ", "\n", "\t", "-- LISTEN x\n", "/* SET x = 1 */",
        "/* nested /* RESET ALL */ */", "\r\n");
    return Combinators.combine(piece.list().ofMaxSize(5), Arbitraries.just("")).as((l, e) -> String.join(e, l));
  }
}
