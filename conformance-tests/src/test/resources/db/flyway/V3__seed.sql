INSERT INTO author (name) VALUES ('Ursula K. Le Guin'), ('Stanisław Lem');
INSERT INTO book (author_id, title)
SELECT id, 'A Wizard of Earthsea' FROM author WHERE name = 'Ursula K. Le Guin';
INSERT INTO book (author_id, title)
SELECT id, 'Solaris' FROM author WHERE name = 'Stanisław Lem';
