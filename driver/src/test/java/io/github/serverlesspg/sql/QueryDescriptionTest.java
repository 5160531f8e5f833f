package io.github.serverlesspg.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryDescriptionTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // sql | summary | operation | collection
      "SELECT * FROM wuser_table WHERE username = ? | SELECT wuser_table | SELECT | wuser_table",
      "select id from Users u where u.id = 1 | select Users | select | Users",
      "INSERT INTO shipping_details (order_id, address) SELECT order_id, address FROM orders WHERE order_id = ?"
          + " | INSERT shipping_details SELECT orders | - | -",
      "SELECT * FROM songs, artists WHERE songs.artist_id = artists.id | SELECT songs artists | SELECT | -",
      "SELECT order_date FROM (SELECT * FROM orders o JOIN customers c ON o.customer_id = c.customer_id) x"
          + " | SELECT SELECT orders customers | SELECT | -",
      "SELECT * FROM \"song list\", public.\"Artists\" | SELECT \"song list\" public.\"Artists\" | SELECT | -",
      "SELECT * FROM public . users | SELECT public.users | SELECT | public.users",
      "UPDATE accounts SET balance = balance - 10 WHERE id = 7 | UPDATE accounts | UPDATE | accounts",
      "UPDATE ONLY a AS x SET v = 1 FROM b WHERE a.id = b.id | UPDATE a b | UPDATE | -",
      "DELETE FROM sessions WHERE expires < now() | DELETE sessions | DELETE | sessions",
      "DELETE FROM a USING b WHERE a.id = b.id | DELETE a b | DELETE | -",
      "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v | MERGE t s | MERGE | -",
      "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2 | INSERT t | INSERT | t",
      "SELECT * FROM t WHERE id = 1 FOR UPDATE | SELECT t | SELECT | t",
      "SELECT extract(year FROM created) FROM events | SELECT events | SELECT | events",
      "SELECT a IS DISTINCT FROM b FROM t | SELECT t | SELECT | t",
      "SELECT * FROM generate_series(1, 10) | SELECT | SELECT | -",
      "WITH recent AS (SELECT * FROM orders) SELECT * FROM recent | SELECT orders SELECT | SELECT | orders",
      "CREATE TABLE users (id int PRIMARY KEY) | CREATE TABLE users | CREATE TABLE | users",
      "CREATE TEMP TABLE IF NOT EXISTS scratch (id int) ON COMMIT DROP | CREATE TABLE scratch | CREATE TABLE | scratch",
      "DROP TABLE IF EXISTS a, b CASCADE | DROP TABLE a b | DROP TABLE | -",
      "CREATE UNIQUE INDEX CONCURRENTLY idx ON users (email) | CREATE INDEX users | CREATE INDEX | users",
      "CREATE VIEW v AS SELECT * FROM t | CREATE VIEW v SELECT t | - | -",
      "ALTER TABLE users ADD COLUMN age int | ALTER TABLE users | ALTER TABLE | users",
      "TRUNCATE TABLE logs | TRUNCATE logs | TRUNCATE | logs",
      "COPY items (a, b) FROM STDIN | COPY items | COPY | items",
      "CALL refresh_stats(1) | CALL refresh_stats | CALL | refresh_stats",
      "BEGIN | BEGIN | BEGIN | -",
      "SET search_path = app | SET | SET | -",
      "BEGIN; SELECT * FROM t; COMMIT | BEGIN SELECT t COMMIT | - | t",
      "GRANT SELECT, INSERT ON t TO app | GRANT | GRANT | -",
      "/* comment */ ( SELECT 1 ) | SELECT | SELECT | -",
      "hello world | - | - | -",
      "'just a string' | - | - | -",
  })
  void summarizesPerTheConventions(String sql, String summary, String operation, String collection) {
    QueryDescription description = QueryDescription.of(sql);

    assertThat(description.querySummary()).isEqualTo(summary);
    assertThat(description.operationName()).isEqualTo(operation);
    assertThat(description.collectionName()).isEqualTo(collection);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SELECT * FROM t WHERE a = 'x' AND b = 42 | SELECT * FROM t WHERE a = ? AND b = ?",
      "SELECT E'it\\'s', 'it''s', $$dollar$$, $q$ a $ b $q$ | SELECT ?, ?, ?, ?",
      "SELECT 1.5e-3, .5, 0xFF, 1_000 | SELECT ?, ?, ?, ?",
      "SELECT x'1F', b'101', U&'d\\0061t' | SELECT ?, ?, ?",
      "SELECT true, FALSE, null | SELECT ?, ?, null",
      "SELECT DATE '2024-01-01', INTERVAL '1 day' | SELECT DATE ?, INTERVAL ?",
      "SELECT t1.c2 FROM t1 /* keep 1 */ -- and 'this' | SELECT t1.c2 FROM t1 /* keep 1 */ -- and 'this'",
      "SELECT \"quoted 'id'\" FROM t | SELECT \"quoted 'id'\" FROM t",
  })
  void sanitizesLiterals(String sql, String expected) {
    QueryDescription description = QueryDescription.of(sql);

    assertThat(description.sanitizedText()).isEqualTo(expected);
    assertThat(description.hasParameters()).isFalse();
    assertThat(description.queryText()).isEqualTo(expected);
  }

  @Test
  void keepsParameterizedTextAsWritten() {
    String sql = "SELECT * FROM t WHERE a = ? AND b = $2 AND c = 'active'";
    QueryDescription description = QueryDescription.of(sql);

    assertThat(description.hasParameters()).isTrue();
    assertThat(description.queryText()).isEqualTo(sql);
    assertThat(description.sanitizedText()).isEqualTo("SELECT * FROM t WHERE a = ? AND b = $2 AND c = ?");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SET app.api_key TO sk_live_marker",
      "set session app.api_key = sk_live_marker",
      "SET LOCAL app.api_key TO 'sk_live_marker'",
      "SELECT 1; SET app.api_key = sk_live_marker",
      "SET app.api_key TO sk_live_marker; SELECT ?",
  })
  void neverRecordsTheValueOfASet(String sql) {
    QueryDescription description = QueryDescription.of(sql);

    assertThat(description.queryText()).doesNotContain("sk_live_marker").containsIgnoringCase("app.api_key");
    assertThat(description.sanitizedText()).doesNotContain("sk_live_marker");
  }

  @Test
  void jdbcEscapedQuestionMarkIsAnOperatorNotAParameter() {
    assertThat(QueryDescription.of("SELECT data ?? 'key' FROM t").hasParameters()).isFalse();
  }

  @Test
  void spanNameFollowsTheConventionsFallbacks() {
    assertThat(QueryDescription.of("SELECT * FROM users JOIN orders ON true").spanName())
        .isEqualTo("SELECT users orders");
    assertThat(new QueryDescription("SELECT", "users", null, "", "", false).spanName()).isEqualTo("SELECT users");
    assertThat(new QueryDescription("SELECT", null, null, "", "", false).spanName()).isEqualTo("SELECT");
    assertThat(new QueryDescription(null, "users", null, "", "", false).spanName()).isEqualTo("users");
    assertThat(QueryDescription.of("").spanName()).isEqualTo("postgresql");
    assertThat(QueryDescription.of(null).spanName()).isEqualTo("postgresql");
  }

  @Test
  void truncatesTheSummaryBetweenParts() {
    StringBuilder sql = new StringBuilder("SELECT * FROM ");
    for (int i = 0; i < 100; i++) {
      sql.append(i == 0 ? "" : ", ").append("table_number_").append(i);
    }
    String summary = QueryDescription.of(sql.toString()).querySummary();

    assertThat(summary).hasSizeLessThanOrEqualTo(255).startsWith("SELECT table_number_0 table_number_1 ");
    assertThat(summary.split(" ")).allMatch(part -> part.equals("SELECT") || part.matches("table_number_\\d+"));
  }
}
