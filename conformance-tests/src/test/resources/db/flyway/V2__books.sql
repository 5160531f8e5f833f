CREATE TABLE book (
  id bigserial PRIMARY KEY,
  author_id bigint NOT NULL REFERENCES author (id),
  title text NOT NULL
);
CREATE INDEX book_author ON book (author_id);
