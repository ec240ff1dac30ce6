-- notary-server's tables on PostgreSQL, written from its gorm models
-- (server/storage/sql_models.go, notary 0.7): Debian ships no migrations and
-- `notary-server -bootstrap` only bootstraps RethinkDB. Run once, as role "server".
CREATE TABLE tuf_files (
  id serial PRIMARY KEY,
  created_at timestamp, updated_at timestamp, deleted_at timestamp,
  gun varchar(255) NOT NULL,
  role varchar(255) NOT NULL,
  version integer NOT NULL,
  sha256 char(64),
  data bytea NOT NULL
);
-- A second write of the same version must fail: the server turns that into "old version".
CREATE UNIQUE INDEX tuf_files_gun_role_version ON tuf_files (gun, role, version);
CREATE INDEX tuf_files_sha256 ON tuf_files (sha256);
CREATE INDEX tuf_files_deleted_at ON tuf_files (deleted_at);

CREATE TABLE changefeed (
  id serial PRIMARY KEY,
  created_at timestamp DEFAULT CURRENT_TIMESTAMP,
  gun varchar(255) NOT NULL,
  version integer NOT NULL,
  sha256 char(64),
  category varchar(20) NOT NULL DEFAULT 'update' CHECK (category IN ('update', 'deletion'))
);
CREATE INDEX changefeed_gun ON changefeed (gun);
