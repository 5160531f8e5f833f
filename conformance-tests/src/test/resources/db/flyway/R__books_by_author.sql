CREATE OR REPLACE VIEW books_by_author AS
SELECT a.name, count(b.id) AS books FROM author a LEFT JOIN book b ON b.author_id = a.id GROUP BY a.name;
