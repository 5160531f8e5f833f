package io.github.serverlesspg.it;

import io.github.serverlesspg.testsupport.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tables whose triggers make real failures happen at a chosen point: a row in {@code fault_die_at_commit} makes
 * the backend terminate itself while COMMIT runs (a deferred constraint trigger, so after every statement and before
 * the commit record); a row in {@code fault_slow_commit} makes COMMIT take half a second before it commits, time
 * enough for a test to cut the network under it; {@code fault_units} holds one row per applied unit of work, so a test can count applications.
 */
final class FaultSchema {
  private static final AtomicLong IDS = new AtomicLong(System.nanoTime() / 1000);

  private FaultSchema() {
  }

  static long nextId() {
    return IDS.incrementAndGet();
  }

  static void create(PostgresServer postgres) throws SQLException {
    try (Connection admin = postgres.openAdminConnection(); Statement statement = admin.createStatement()) {
      statement.execute("create table if not exists fault_units(id bigint not null)");
      statement.execute("create table if not exists fault_die_at_commit(id bigint)");
      statement.execute("create table if not exists fault_slow_commit(id bigint)");
      statement.execute("create or replace function fault_slow() returns trigger language plpgsql as $$ begin "
          + "perform pg_sleep(0.5); return null; end $$");
      statement.execute("do $$ begin if not exists (select 1 from pg_trigger where tgname = 'fault_slow_commit') "
          + "then create constraint trigger fault_slow_commit after insert on fault_slow_commit deferrable "
          + "initially deferred for each row execute function fault_slow(); end if; end $$");
      statement.execute("create table if not exists fault_deferred_unique(k bigint unique deferrable initially "
          + "deferred)");
      statement.execute("create or replace function fault_die() returns trigger language plpgsql as $$ begin "
          + "perform pg_terminate_backend(pg_backend_pid()); perform pg_sleep(10); return null; end $$");
      statement.execute("do $$ begin if not exists (select 1 from pg_trigger where tgname = 'fault_die_at_commit') "
          + "then create constraint trigger fault_die_at_commit after insert on fault_die_at_commit deferrable "
          + "initially deferred for each row execute function fault_die(); end if; end $$");
    }
  }

  /** How many times the unit {@code id} was applied: no key on the table, so a unit applied twice shows as 2. */
  static int unitRows(PostgresServer postgres, long id) throws SQLException {
    try (Connection admin = postgres.openAdminConnection();
        PreparedStatement count = admin.prepareStatement("select count(*) from fault_units where id = ?")) {
      count.setLong(1, id);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }
}
