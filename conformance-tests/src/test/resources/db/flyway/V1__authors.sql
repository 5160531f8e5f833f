CREATE TABLE author (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE);
