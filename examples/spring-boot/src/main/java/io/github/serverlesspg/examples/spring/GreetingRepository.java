package io.github.serverlesspg.examples.spring;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Plain Spring JDBC: JdbcTemplate over Spring Boot's DataSource (serverless-pg's own pooled DataSource). */
@Repository
public class GreetingRepository {
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  GreetingRepository(JdbcTemplate jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  public String greet(String name) {
    return transactions.execute(status -> jdbc.queryForObject(
        "select 'Hello, ' || ? || ', from ' || current_database()", String.class, name));
  }
}
