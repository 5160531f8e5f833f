package io.github.serverlesspg.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.conformance.library.LibraryApplication;
import io.github.serverlesspg.conformance.library.Shelf;
import io.github.serverlesspg.conformance.library.ShelfRepository;
import io.github.serverlesspg.conformance.library.ShelfService;
import io.github.serverlesspg.conformance.library.Volume;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One Spring Boot 3 application (the driver's DataSource, JdbcTemplate, Spring Data JPA over Hibernate 6, Flyway) whose database is
 * configured by {@code spring.datasource.url}, {@code username} and {@code password} only, in transaction mode
 * through PgBouncer. Every case shares this one context.
 */
@SpringBootTest(classes = LibraryApplication.class, properties = {
    "spring.flyway.locations=classpath:db/spring/{vendor}",
    // Liquibase is on the test class path for its own case; this application migrates with Flyway
    "spring.liquibase.enabled=false",
    "spring.jpa.hibernate.ddl-auto=validate",
    "spring.jpa.open-in-view=false",
    "spring.jpa.properties.hibernate.jdbc.batch_size=25",
    "spring.jpa.properties.hibernate.order_inserts=true",
    "spring.jpa.properties.hibernate.generate_statistics=true"})
final class SpringBootConformanceTest {
  private static final int THREADS = 4;
  private static final int REPEATS = 12;

  @Autowired
  private DataSource dataSource;
  @Autowired
  private DataSourceProperties dataSourceProperties;
  @Autowired
  private JdbcTemplate jdbc;
  @Autowired
  private ShelfRepository shelves;
  @Autowired
  private ShelfService service;
  @Autowired
  private TransactionTemplate transactions;
  @Autowired
  private EntityManagerFactory entityManagerFactory;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> Target.TRANSACTION.url("spring-boot"));
    registry.add("spring.datasource.username", Target.TRANSACTION::user);
    registry.add("spring.datasource.password", Target.TRANSACTION::password);
  }

  @AfterAll
  static void releaseConnections() {
    Target.releaseIdleConnections();
  }

  @Test
  void driverClassComesFromTheUrlAlone() throws Exception {
    assertThat(dataSourceProperties.determineDriverClassName()).isEqualTo(ServerlessPgDriver.class.getName());
    // one pool: Boot builds the driver's own DataSource instead of stacking HikariCP on it
    assertThat(dataSource).isInstanceOf(ServerlessPgDataSource.class);
    try (var connection = dataSource.getConnection()) {
      // what jOOQ, Spring's {vendor} and Hibernate's dialect detection read
      assertThat(connection.getMetaData().getURL()).startsWith("jdbc:postgresql:");
      assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
    }
  }

  @Test
  void flywayRanTheVendorMigrationsAndHibernateValidatedThem() {
    assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success", Long.class))
        .isEqualTo(1);
  }

  @Test
  void jpaPersistsRelationsInBatches() {
    Statistics statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
    statistics.clear();
    Shelf shelf = new Shelf("batched");
    for (int i = 0; i < 50; i++) {
      shelf.add(new Volume("volume " + i));
    }

    shelves.save(shelf);

    assertThat(statistics.getEntityInsertCount()).isEqualTo(51);
    // one insert statement per batch of 25 and a few sequence calls, not one statement per row
    assertThat(statistics.getPrepareStatementCount()).isLessThan(10);
    assertThat(shelves.countVolumesOn("batched")).isEqualTo(50);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM volume v JOIN shelf s ON s.id = v.shelf_id "
        + "WHERE s.label = ?", Long.class, "batched")).isEqualTo(50);
  }

  @Test
  void concurrentUpdateOfOneVersionIsDetected() {
    Long id = shelves.save(new Shelf("contended")).getId();
    Shelf first = shelves.findById(id).orElseThrow();
    Shelf second = shelves.findById(id).orElseThrow();

    first.setLabel("contended by first");
    shelves.save(first);
    second.setLabel("contended by second");

    assertThatThrownBy(() -> shelves.save(second)).isInstanceOf(ObjectOptimisticLockingFailureException.class);
    assertThat(shelves.findById(id).orElseThrow().getLabel()).isEqualTo("contended by first");
  }

  @Test
  void transactionalRollbackUndoesJpaAndJdbcWrites() {
    assertThatThrownBy(() -> service.saveThenFail("rolled back")).isInstanceOf(IllegalStateException.class);

    assertThat(shelves.findByLabel("rolled back")).isEmpty();
    assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_note WHERE note = ?", Long.class,
        "created rolled back")).isZero();
  }

  /** More repeats than pgjdbc's prepareThreshold (5), from several threads: no named statement may reach PgBouncer. */
  @Test
  void repeatedQueriesFromSeveralThreadsNeverServerPrepare() throws Exception {
    transactions.executeWithoutResult(status -> shelves.save(new Shelf("repeated")));
    List<Callable<Long>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(() -> {
        long found = 0;
        for (int i = 0; i < REPEATS; i++) {
          found += shelves.findByLabel("repeated").isPresent() ? 1 : 0;
          found += jdbc.queryForObject("SELECT count(*) FROM shelf WHERE label = ?", Long.class, "repeated");
        }
        return found;
      });
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (Future<Long> result : pool.invokeAll(workers)) {
        assertThat(result.get()).isEqualTo(2L * REPEATS);
      }
    } finally {
      pool.shutdown();
    }
  }
}
