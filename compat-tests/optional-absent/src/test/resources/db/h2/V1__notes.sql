create table notes (id int primary key, body varchar(100));
