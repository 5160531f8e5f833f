package io.github.serverlesspg.logical;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * Transaction mode sends the handle's settings in front of a statement it finds {@link StatementTraits#fusable}, and
 * skips exactly one result for them: that is only right if pgjdbc, splitting the combined text as it does for a
 * Statement execution, sends the settings and then the application's statement, as it was written, and nothing else.
 */
class StatementTraitsPropertyTest {
  private static final String PROLOGUE = "SELECT set_config('search_path', 'a;b', true)";

  @Property(tries = 5000)
  void aFusableStatementIsSentAsOneStatementAfterThePrologue(@ForAll("sqlish") String sql) throws SQLException {
    if (!StatementTraits.of(sql).fusable) {
      return;
    }
    List<NativeQuery> queries = Parser.parseJdbcSql(PROLOGUE + ";" + sql, true, false, true, false, true);
    assertThat(queries).hasSize(2);
    assertThat(queries.get(0).nativeSql).isEqualTo(PROLOGUE);
    assertThat(sql).startsWith(queries.get(1).nativeSql);
  }

  @Property(tries = 200)
  void ordinarySingleStatementsAreFusable(@ForAll("ordinary") String sql) {
    assertThat(StatementTraits.of(sql).fusable).as(sql).isTrue();
  }

  @Provide
  Arbitrary<String> sqlish() {
    return Arbitraries.strings().withChars("BEGINCOMTSAVPLRDXUHYZ ;()'\".,$-/*\n\\").ofMaxLength(60);
  }

  @Provide
  Arbitrary<String> ordinary() {
    return Arbitraries.of("select 1", "SELECT ';' AS x;", "insert into t values ('a;b') -- c", "select $q$;$q$",
        "/* ; */ update t set a = (select 1; )", "with x as (select 1) select * from x");
  }
}
