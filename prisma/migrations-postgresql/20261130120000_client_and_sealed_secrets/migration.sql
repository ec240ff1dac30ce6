-- Who started a session (issue #11): the per-client live-session limit is re-derived from these after a restart.
-- From here on "vars" and "platformSecret" hold ciphertext (runtime/secrets): the server seals rows written
-- in clear by earlier versions when it starts, with a key it keeps in its data directory.
ALTER TABLE "Session" ADD COLUMN "clientAddress" TEXT;
ALTER TABLE "Session" ADD COLUMN "clientBrowser" TEXT;
