-- notary-signer's key table on PostgreSQL, written from its gorm model
-- (signer/keydbstore/sql_keydbstore.go, notary 0.7); `-bootstrap` does not
-- support SQL stores. Run once, as role "signer". Keys are stored encrypted
-- (JWE, PBES2) with the passphrase of their alias.
CREATE TABLE private_keys (
  id serial PRIMARY KEY,
  created_at timestamp, updated_at timestamp, deleted_at timestamp,
  key_id varchar(255) NOT NULL UNIQUE,
  encryption_alg varchar(255) NOT NULL,
  keywrap_alg varchar(255) NOT NULL,
  algorithm varchar(50) NOT NULL,
  passphrase_alias varchar(50) NOT NULL,
  gun varchar(255) NOT NULL,
  role varchar(255) NOT NULL,
  public bytea NOT NULL,
  private bytea NOT NULL,
  last_used timestamp
);
CREATE INDEX private_keys_deleted_at ON private_keys (deleted_at);
