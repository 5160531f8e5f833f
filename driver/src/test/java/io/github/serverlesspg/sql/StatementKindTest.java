package io.github.serverlesspg.sql;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Transaction control and statements refused inside a transaction block, recognised from their keywords only. */
class StatementKindTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "BEGIN | BEGIN",
      "begin isolation level serializable | BEGIN",
      "  /* c */ START TRANSACTION READ ONLY | BEGIN",
      "COMMIT | COMMIT",
      "commit and chain | COMMIT",
      "END | COMMIT",
      "ROLLBACK | ROLLBACK",
      "abort work | ROLLBACK",
      "ROLLBACK TO SAVEPOINT a | ROLLBACK_TO",
      "rollback work to a | ROLLBACK_TO",
      "SAVEPOINT a | SAVEPOINT",
      "RELEASE SAVEPOINT a | RELEASE",
      "release a | RELEASE",
      "PREPARE TRANSACTION 'x' | PREPARE_TRANSACTION",
      "COMMIT PREPARED 'x' | NON_TRANSACTIONAL",
      "ROLLBACK PREPARED 'x' | NON_TRANSACTIONAL",
      "BEGIN; INSERT INTO t VALUES (1); COMMIT | SEVERAL_WITH_TRANSACTION_CONTROL",
      "SELECT 1; COMMIT | SEVERAL_WITH_TRANSACTION_CONTROL",
      "SELECT 1; SELECT 2 | ORDINARY",
      "CREATE INDEX CONCURRENTLY i ON app.t (c) | NON_TRANSACTIONAL",
      "create unique index concurrently if not exists i on only \"App\".\"T\" (c) | NON_TRANSACTIONAL",
      "CREATE INDEX CONCURRENTLY i ON t (c) | NON_TRANSACTIONAL_BY_NAME",
      "CREATE INDEX i ON t (c) | ORDINARY",
      "DROP INDEX CONCURRENTLY app.i | NON_TRANSACTIONAL",
      "DROP INDEX CONCURRENTLY IF EXISTS i | NON_TRANSACTIONAL_BY_NAME",
      "DROP INDEX i | ORDINARY",
      "REINDEX INDEX CONCURRENTLY app.i | NON_TRANSACTIONAL",
      "REINDEX (VERBOSE) TABLE CONCURRENTLY t | NON_TRANSACTIONAL_BY_NAME",
      "REINDEX SCHEMA CONCURRENTLY app | NON_TRANSACTIONAL",
      "REINDEX DATABASE app | NON_TRANSACTIONAL",
      "REINDEX TABLE t | ORDINARY",
      "VACUUM | NON_TRANSACTIONAL",
      "VACUUM (ANALYZE) | NON_TRANSACTIONAL",
      "vacuum full analyze app.t, app.u (c) | NON_TRANSACTIONAL",
      "VACUUM t | NON_TRANSACTIONAL_BY_NAME",
      "VACUUM app.t, u | NON_TRANSACTIONAL_BY_NAME",
      "CREATE DATABASE x | NON_TRANSACTIONAL",
      "DROP DATABASE IF EXISTS x | NON_TRANSACTIONAL",
      "ALTER SYSTEM SET work_mem = '8MB' | NON_TRANSACTIONAL",
      "CLUSTER | NON_TRANSACTIONAL",
      "CLUSTER t | ORDINARY",
      "DISCARD ALL | NON_TRANSACTIONAL",
      "ALTER TABLE app.p DETACH PARTITION app.c CONCURRENTLY | NON_TRANSACTIONAL",
      "ALTER TABLE p DETACH PARTITION c CONCURRENTLY | NON_TRANSACTIONAL_BY_NAME",
      "ALTER TABLE p ADD COLUMN c int | ORDINARY",
      "SELECT 'BEGIN' | ORDINARY",
      "-- COMMIT | ORDINARY",
      "SELECT begin FROM t | ORDINARY",
      "BEGINNING | ORDINARY",
  })
  void recognisesTheKind(String sql, StatementKind kind) {
    assertThat(StatementKind.of(sql)).isEqualTo(kind);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SAVEPOINT a | a",
      "SAVEPOINT \"Mixed\" | Mixed",
      "ROLLBACK TO SAVEPOINT JDBC_SAVEPOINT_1 | jdbc_savepoint_1",
      "release savepoint B; | b",
  })
  void namesTheSavepointAsTheServerDoes(String sql, String name) {
    assertThat(StatementKind.savepointName(sql)).isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"DISCARD ALL | true", " discard  all; | true", "DISCARD PLANS | false",
      "SELECT 'DISCARD ALL' | false"})
  void recognisesDiscardAll(String sql, boolean discardAll) {
    assertThat(StatementKind.isDiscardAll(sql)).isEqualTo(discardAll);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SELECT 1 | true",
      "select 1; | true",
      "select 1;; | true",
      "select 1; -- done | false",
      "select 'a;b', \"c;d\", $x$;$x$ /* ; */ -- ; | true",
      "select (select 1; ) | true",
      "select 1; select 2 | false",
      "'' | false",
      "'  -- only a comment' | false",
      "; select 1 | false",
  })
  void recognisesOneStatement(String sql, boolean one) {
    assertThat(StatementKind.isOneStatement(sql)).isEqualTo(one);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"CALL p() | true", " /* c */ do $$BEGIN END$$ | true", "SELECT 1 | false",
      "DOUBLE | false", "'' | false"})
  void recognisesProcedureCode(String sql, boolean procedure) {
    assertThat(StatementKind.mayEndItsTransaction(sql)).isEqualTo(procedure);
  }

  @Property
  void neverThrowsOnAnyText(@ForAll("sqlish") String sql) {
    StatementKind.of(sql);
    StatementKind.savepointName(sql);
    StatementKind.namesIsolationLevel(sql);
    StatementKind.isOneStatement(sql);
    StatementKind.mayEndItsTransaction(sql);
    assertThat(SettingChange.logShape(sql)).isNotNull();
  }

  /** A SET's value never reaches a log line, whatever surrounds it. */
  @Property
  void logShapeNeverKeepsASettingValue(@ForAll("prefixes") String prefix, @ForAll("assignments") String assignment,
      @ForAll("suffixes") String suffix) {
    String sql = prefix + "SET " + assignment + "sk_live_SECRET" + suffix;
    assertThat(SettingChange.logShape(sql)).doesNotContain("SECRET");
    String quoted = prefix + "SET " + assignment + "'sk_live_SECRET'" + suffix;
    assertThat(SettingChange.logShape(quoted)).doesNotContain("SECRET");
  }

  @Provide
  Arbitrary<String> sqlish() {
    return Arbitraries.strings().withChars("BEGINCOMTSAVPLRDXUHYZ ;()'\".,$-/*\n").ofMaxLength(60);
  }

  @Provide
  Arbitrary<String> prefixes() {
    return Arbitraries.of("", "SELECT 1; ", "/* x */ ", "select 'a;b'; ");
  }

  @Provide
  Arbitrary<String> assignments() {
    return Arbitraries.of("app.key = ", "app.key TO ", "SESSION app.key = ", "LOCAL \"App\".key = ", "ROLE ",
        "SESSION AUTHORIZATION ", "TIME ZONE ", "search_path = public, ");
  }

  @Provide
  Arbitrary<String> suffixes() {
    return Arbitraries.of("", ";", "; SELECT 2", " -- c");
  }
}
