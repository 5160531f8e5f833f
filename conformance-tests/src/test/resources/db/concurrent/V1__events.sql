CREATE TABLE event (id bigserial PRIMARY KEY, kind text NOT NULL);
INSERT INTO event (kind) SELECT 'kind-' || (i % 7) FROM generate_series(1, 1000) AS i;
