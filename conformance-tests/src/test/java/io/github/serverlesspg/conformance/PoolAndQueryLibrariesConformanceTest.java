package io.github.serverlesspg.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HikariCP configured by {@code jdbcUrl} alone, with jOOQ and MyBatis on top of it. */
@RealDatabase
final class PoolAndQueryLibrariesConformanceTest {

  @BeforeAll
  static void createTable() throws Exception {
    try (Connection connection = java.sql.DriverManager.getConnection(Target.DIRECT.url("libraries-setup"),
        Target.DIRECT.credentials()); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS gadget (id bigserial PRIMARY KEY, mode text, name text)");
    }
  }

  @AfterAll
  static void releaseConnections() {
    Target.releaseIdleConnections();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void hikariJooqAndMybatisShareThePool(Target target) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(target.url("hikari"));
    config.setUsername(target.user());
    config.setPassword(target.password());
    config.setMaximumPoolSize(3);
    String mode = target.name();
    try (HikariDataSource pool = new HikariDataSource(config)) {
      try (Connection connection = pool.getConnection()) {
        assertThat(JDBCUtils.dialect(connection)).as("jOOQ detects the dialect").isEqualTo(SQLDialect.POSTGRES);
      }

      DSLContext jooq = DSL.using(pool, SQLDialect.POSTGRES);
      jooq.deleteFrom(DSL.table("gadget")).where(DSL.field("mode").eq(mode)).execute();
      for (int i = 0; i < 8; i++) {
        jooq.insertInto(DSL.table("gadget"), DSL.field("mode"), DSL.field("name")).values(mode, "jooq-" + i)
            .execute();
      }
      assertThat(jooq.fetchCount(DSL.table("gadget"), DSL.field("mode").eq(mode))).isEqualTo(8);
      jooq.transaction(configuration -> DSL.using(configuration)
          .update(DSL.table("gadget")).set(DSL.field("name"), "renamed").where(DSL.field("name").eq("jooq-0"))
          .and(DSL.field("mode").eq(mode)).execute());

      Configuration mybatis = new Configuration(new Environment("conformance", new JdbcTransactionFactory(), pool));
      mybatis.addMapper(GadgetMapper.class);
      SqlSessionFactory sessions = new SqlSessionFactoryBuilder().build(mybatis);
      try (SqlSession session = sessions.openSession()) {
        GadgetMapper mapper = session.getMapper(GadgetMapper.class);
        for (int i = 0; i < 8; i++) {
          mapper.insert(mode, "mybatis-" + i);
        }
        session.commit();
      }
      try (SqlSession session = sessions.openSession()) {
        GadgetMapper mapper = session.getMapper(GadgetMapper.class);
        assertThat(mapper.namesLike(mode, "mybatis-%")).hasSize(8);
        assertThat(mapper.namesLike(mode, "renamed")).containsExactly(Map.of("name", "renamed"));
      }
    }
  }

  /** A MyBatis mapper: repeated parameterized statements, the case pgjdbc would server-prepare. */
  public interface GadgetMapper {
    @Insert("INSERT INTO gadget (mode, name) VALUES (#{mode}, #{name})")
    void insert(@Param("mode") String mode, @Param("name") String name);

    @Select("SELECT name FROM gadget WHERE mode = #{mode} AND name LIKE #{pattern} ORDER BY id")
    List<Map<String, Object>> namesLike(@Param("mode") String mode, @Param("pattern") String pattern);
  }
}
