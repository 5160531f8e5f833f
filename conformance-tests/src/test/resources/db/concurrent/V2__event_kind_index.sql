-- cannot run inside a transaction block: Flyway runs this migration with autocommit
CREATE INDEX CONCURRENTLY event_kind ON event (kind);
