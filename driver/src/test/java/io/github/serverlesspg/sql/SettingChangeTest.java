package io.github.serverlesspg.sql;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingChangeTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "set work_mem = '8MB'|work_mem|SET LOCAL work_mem = '8MB'",
      "SET SESSION statement_timeout TO 5000;|statement_timeout|SET LOCAL statement_timeout TO 5000",
      "  /* c */ set search_path to billing, public|search_path|SET LOCAL search_path to billing, public",
      "SET TIME ZONE 'UTC'|timezone|SET LOCAL TIME ZONE 'UTC'",
      "SET ROLE 'app'|role|SET LOCAL ROLE 'app'",
      "set myapp.tenant = '42'|myapp.tenant|SET LOCAL myapp.tenant = '42'",
      "SELECT set_config('search_path', ?, false)|search_path|SELECT set_config('search_path', ?, true)",
      "select set_config('work_mem', '8MB', 'off');|work_mem|select set_config('work_mem', '8MB', true)"})
  void setsBecomeTransactionScoped(String sql, String name, String rewritten) {
    SettingChange change = SettingChange.parse(sql);
    assertThat(change).isNotNull();
    assertThat(change.kind()).isEqualTo(SettingChange.Kind.SET);
    assertThat(change.name()).isEqualTo(name);
    assertThat(change.transactionScopedSql()).isEqualTo(rewritten);
  }

  @Test
  void resetsForgetTheSetting() {
    SettingChange one = SettingChange.parse("RESET work_mem");
    assertThat(one.kind()).isEqualTo(SettingChange.Kind.RESET);
    assertThat(one.transactionScopedSql()).isEqualTo("SET LOCAL work_mem TO DEFAULT");
    assertThat(SettingChange.parse("reset time zone").name()).isEqualTo("timezone");
    SettingChange all = SettingChange.parse("RESET ALL");
    assertThat(all.kind()).isEqualTo(SettingChange.Kind.RESET_ALL);
    assertThat(all.name()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SET LOCAL work_mem = '8MB'",
      "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
      "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
      "SET SESSION AUTHORIZATION bob",
      "SET CONSTRAINTS ALL DEFERRED",
      "set work_mem = '8MB'; select 1",
      "SELECT set_config(?, ?, false)",
      "SELECT set_config('work_mem', '8MB', true)",
      "SELECT set_config('work_mem', '8MB', ?)",
      "SELECT set_config('work_mem', '8MB', false), 1",
      "LISTEN orders",
      "select 1"})
  void anythingElseIsNotRewritten(String sql) {
    assertThat(SettingChange.parse(sql)).isNull();
  }

  @Property
  void parsingNeverThrows(@ForAll String sql) {
    SettingChange change = SettingChange.parse(sql);
    if (change != null) {
      assertThat(change.transactionScopedSql()).isNotBlank();
    }
  }

  @Property
  void parsingNeverThrowsOnSetLikeText(@ForAll("setLike") String sql) {
    SettingChange change = SettingChange.parse(sql);
    if (change != null && change.kind() == SettingChange.Kind.SET) {
      String rewritten = change.transactionScopedSql().toUpperCase(java.util.Locale.ROOT);
      assertThat(rewritten.startsWith("SET LOCAL ") || rewritten.contains("TRUE)")).isTrue();
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> setLike() {
    net.jqwik.api.Arbitrary<String> words = net.jqwik.api.Arbitraries.of("SET", "set", "SESSION", "LOCAL", "RESET",
        "ALL", "TIME", "ZONE", "TO", "=", "'8MB'", "work_mem", "x.y", ".", ";", "SELECT", "set_config", "(", ")",
        ",", "?", "false", "'off'", "true", "--c\n", "/*c*/", "$$v$$");
    return words.list().ofMinSize(1).ofMaxSize(10).map(list -> String.join(" ", list));
  }
}
