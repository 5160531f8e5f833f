CREATE OR REPLACE FUNCTION book_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM book';
