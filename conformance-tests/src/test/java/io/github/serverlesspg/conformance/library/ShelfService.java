package io.github.serverlesspg.conformance.library;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Writes through JPA and JdbcTemplate in one Spring transaction. */
@Service
public class ShelfService {
  private final ShelfRepository shelves;
  private final JdbcTemplate jdbc;

  public ShelfService(ShelfRepository shelves, JdbcTemplate jdbc) {
    this.shelves = shelves;
    this.jdbc = jdbc;
  }

  /** Saves the shelf and an audit note, then fails: Spring must roll both back. */
  @Transactional
  public void saveThenFail(String label) {
    shelves.saveAndFlush(new Shelf(label));
    jdbc.update("INSERT INTO audit_note (note) VALUES (?)", "created " + label);
    throw new IllegalStateException("rolled back on purpose");
  }
}
