-- in a {vendor} folder: Spring Boot resolves it from the DataSource's metadata URL (jdbc:postgresql:)
CREATE SEQUENCE shelf_seq INCREMENT BY 50;
CREATE SEQUENCE volume_seq INCREMENT BY 50;
CREATE TABLE shelf (id bigint PRIMARY KEY, label text NOT NULL UNIQUE, version bigint NOT NULL);
CREATE TABLE volume (id bigint PRIMARY KEY, title text NOT NULL, shelf_id bigint NOT NULL REFERENCES shelf (id));
CREATE TABLE audit_note (id bigserial PRIMARY KEY, note text NOT NULL);
