package io.github.serverlesspg.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionStateCheckTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SET search_path = app | SET",
      "set TimeZone TO 'UTC' | SET",
      "SET SESSION statement_timeout = 0 | SET",
      "SET ROLE admin | SET",
      "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY | SET_SESSION_CHARACTERISTICS",
      "RESET search_path | RESET",
      "RESET ALL | RESET",
      "LISTEN jobs | LISTEN",
      "UNLISTEN * | LISTEN",
      "PREPARE q(int) AS SELECT $1 | PREPARED_STATEMENT",
      "EXECUTE q(1) | PREPARED_STATEMENT",
      "DEALLOCATE ALL | PREPARED_STATEMENT",
      "SELECT pg_advisory_lock(42) | ADVISORY_LOCK",
      "select PG_TRY_ADVISORY_LOCK_SHARED (1, 2) | ADVISORY_LOCK",
      "SELECT pg_catalog.pg_advisory_unlock_all() | ADVISORY_LOCK",
      "SELECT x FROM t WHERE pg_advisory_unlock_shared(1) | ADVISORY_LOCK",
      "DECLARE c CURSOR WITH HOLD FOR SELECT 1 | HOLD_CURSOR",
      "DECLARE c NO SCROLL CURSOR with  hold FOR SELECT 1 | HOLD_CURSOR",
      "CREATE TEMP TABLE t (id int) | TEMP_TABLE",
      "CREATE TEMPORARY TABLE t AS SELECT 1 | TEMP_TABLE",
      "CREATE GLOBAL TEMPORARY TABLE t (id int) | TEMP_TABLE",
      "CREATE LOCAL TEMP TABLE t (id int) ON COMMIT DELETE ROWS | TEMP_TABLE",
      "CREATE TEMP VIEW v AS SELECT 1 | TEMP_TABLE",
      "CREATE OR REPLACE TEMP VIEW v AS SELECT 1 | TEMP_TABLE",
      "CREATE TEMP SEQUENCE s | TEMP_TABLE",
      "SELECT * INTO TEMP t2 FROM t | TEMP_TABLE",
      "SELECT * INTO TEMPORARY TABLE t2 FROM t | TEMP_TABLE",
      "LOAD 'auto_explain' | LOAD",
      "SELECT set_config('search_path', 'app', false) | SET_CONFIG",
      "SELECT set_config('a', 'b', 'off') | SET_CONFIG",
      "SELECT set_config('a', 'b', ?) | SET_CONFIG",
      "SET SESSION AUTHORIZATION bob | SESSION_AUTHORIZATION",
      "set session authorization default | SESSION_AUTHORIZATION",
      "SELECT 1; SET x = 1 | SET",
      "  /* leading */ -- comment\\n ( SET x = 1 ) | SET",
      "BEGIN; LISTEN a; SET b = 1 | LISTEN",
  })
  void flagsSessionState(String sql, SessionFeature expected) {
    assertThat(SessionStateCheck.find(sql.replace("\\n", "\n"))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 1",
      "SET LOCAL search_path = app",
      "set local statement_timeout = 0",
      "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
      "SET CONSTRAINTS ALL DEFERRED",
      "DISCARD ALL",
      "PREPARE TRANSACTION 'tx1'",
      "SELECT pg_advisory_xact_lock(1)",
      "SELECT pg_try_advisory_xact_lock_shared(1)",
      "SELECT pg_advisory_lock FROM t",
      "DECLARE c CURSOR WITHOUT HOLD FOR SELECT 1",
      "DECLARE c CURSOR FOR WITH hold AS (SELECT 1) SELECT * FROM hold",
      "CREATE TEMP TABLE t (id int) ON COMMIT DROP",
      "CREATE TEMPORARY TABLE t ON COMMIT DROP AS SELECT 1",
      "CREATE TABLE t (id int)",
      "INSERT INTO temp VALUES (1)",
      "MERGE INTO temp USING s ON true WHEN MATCHED THEN DELETE",
      "SELECT set_config('search_path', 'app', true)",
      "SELECT set_config('a', 'false', true)",
      "UPDATE t SET a = 1",
      "ALTER ROLE app SET search_path = app",
      "SELECT 'SET x = 1'",
      "SELECT \"listen\" FROM t",
      "-- LISTEN x",
      "/* SET x = 1 */ SELECT 1",
      "SELECT $$; SET x = 1$$",
      "SELECT $tag$ pg_advisory_lock(1) $tag$",
      "SELECT E'\\'; LISTEN x'",
      "SELECT 'a''; LISTEN x'",
      "SELECT \"pg_advisory_lock\" FROM t",
      "",
      ";;;",
  })
  void acceptsTransactionSafeSql(String sql) {
    assertThat(SessionStateCheck.find(sql)).isEqualTo(SessionFeature.NONE);
  }

  @ParameterizedTest
  @EnumSource(SessionFeature.class)
  void everyFeatureExplainsItselfInOneSentence(SessionFeature feature) {
    assertThat(feature.reason()).isNotBlank().doesNotContain(". ");
    assertThat(feature.fix()).isNotBlank().doesNotContain(". ");
  }

  @org.junit.jupiter.api.Test
  void nullIsNone() {
    assertThat(SessionStateCheck.find(null)).isEqualTo(SessionFeature.NONE);
  }
}
